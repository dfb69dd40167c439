// Webview (browser): JSON syntax colouring for the payload editor, from jsonc-parser's scanner (keys, strings, numbers, literals).
import { createScanner, SyntaxKind } from 'jsonc-parser';

/** Above this size the text is shown plain: colouring on every keystroke would make typing lag. */
export const COLOUR_LIMIT_CHARS = 200_000;

interface Token {
  kind: SyntaxKind;
  offset: number;
  length: number;
}

function classOf(tokens: Token[], index: number): string | undefined {
  switch (tokens[index].kind) {
    case SyntaxKind.StringLiteral:
      return nextSignificant(tokens, index)?.kind === SyntaxKind.ColonToken ? 'json-key' : 'json-string';
    case SyntaxKind.NumericLiteral:
      return 'json-number';
    case SyntaxKind.TrueKeyword:
    case SyntaxKind.FalseKeyword:
    case SyntaxKind.NullKeyword:
      return 'json-literal';
    case SyntaxKind.OpenBraceToken:
    case SyntaxKind.CloseBraceToken:
    case SyntaxKind.OpenBracketToken:
    case SyntaxKind.CloseBracketToken:
    case SyntaxKind.ColonToken:
    case SyntaxKind.CommaToken:
      return 'json-punctuation';
    case SyntaxKind.LineCommentTrivia:
    case SyntaxKind.BlockCommentTrivia:
      return 'json-comment';
    case SyntaxKind.Unknown:
      return 'json-invalid';
    default:
      return undefined; // whitespace and line breaks
  }
}

function nextSignificant(tokens: Token[], index: number): Token | undefined {
  for (let i = index + 1; i < tokens.length; i++) {
    const kind = tokens[i].kind;
    if (kind !== SyntaxKind.Trivia && kind !== SyntaxKind.LineBreakTrivia && kind !== SyntaxKind.LineCommentTrivia && kind !== SyntaxKind.BlockCommentTrivia) {
      return tokens[i];
    }
  }
  return undefined;
}

/** `text` as text nodes and coloured spans (classes json-key, json-string, ...); the text content is `text` unchanged. */
export function colouredJson(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  if (text.length > COLOUR_LIMIT_CHARS) {
    fragment.append(text);
    return fragment;
  }
  const scanner = createScanner(text, false);
  const tokens: Token[] = [];
  while (scanner.scan() !== SyntaxKind.EOF) {
    tokens.push({ kind: scanner.getToken(), offset: scanner.getTokenOffset(), length: scanner.getTokenLength() });
  }
  let end = 0;
  tokens.forEach((token, index) => {
    // The scanner's tokens cover the text; anything between two of them would still be shown as it is.
    if (token.offset > end) fragment.append(text.slice(end, token.offset));
    end = token.offset + token.length;
    const slice = text.slice(token.offset, end);
    const className = classOf(tokens, index);
    if (!className) {
      fragment.append(slice);
      return;
    }
    const span = document.createElement('span');
    span.className = className;
    span.textContent = slice;
    fragment.append(span);
  });
  if (end < text.length) fragment.append(text.slice(end));
  return fragment;
}
