// "Scan Table": the first items of a local DynamoDB table (served by Start Local Endpoints) in a JSON document.
import * as vscode from 'vscode';
import type { LocalEndpoints } from '../endpoints/localEndpoints';
import type { TableNode } from '../tree/treeNodes';

/** Items shown by one scan. */
const SCAN_LIMIT = 100;

/** Opens `{"Items": [...], "Count": n}` (Scan's shape, and a seed file for `lambda-workbench data seed`); undefined when cancelled. */
export async function scanTable(endpoints: LocalEndpoints, node?: TableNode): Promise<vscode.TextDocument | undefined> {
  const dynamoDb = endpoints.data?.dynamoDb;
  if (!dynamoDb) {
    void vscode.window.showWarningMessage('The local tables are served while the local endpoints run: run "Lambda: Start Local Endpoints" first.');
    return undefined;
  }
  const name = node?.table.name ?? (await vscode.window.showQuickPick(endpoints.data?.tables.map((table) => table.name) ?? [], { placeHolder: 'Table to scan' }));
  if (!name) return undefined;
  const { scanItems } = await import('../../core/data/dataInspection.js');
  const { items, more } = await scanItems(dynamoDb, name, SCAN_LIMIT);
  const document = await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify({ Items: items, Count: items.length }, null, 2)}\n` });
  await vscode.window.showTextDocument(document, { preview: true });
  if (more) void vscode.window.showInformationMessage(`${name}: the first ${items.length} items are shown.`);
  return document;
}
