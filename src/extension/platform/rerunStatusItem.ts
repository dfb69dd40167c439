// The status bar's re-run item: once a function ran, one click invokes it again with the same event.
import * as vscode from 'vscode';
import { describeRemembered, type LastEvents } from '../invoke/lastEvents';

export class RerunStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('lambdaWorkbench.rerun', vscode.StatusBarAlignment.Left, 49);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly lastEvents: LastEvents) {
    this.item.name = 'Lambda Workbench: Invoke Again';
    this.subscription = lastEvents.onDidChange(() => this.update());
  }

  update(): void {
    const recent = this.lastEvents.mostRecent;
    if (!recent) {
      this.item.hide();
      return;
    }
    const description = `Invoke ${recent.functionName} again with ${describeRemembered(recent.event)}`;
    this.item.text = `$(play) ${recent.functionName}`;
    this.item.tooltip = description;
    this.item.accessibilityInformation = { label: description, role: 'button' };
    this.item.command = { command: 'lambdaWorkbench.invokeFunction', title: 'Invoke Again', arguments: [{ functionName: recent.functionName }] };
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
