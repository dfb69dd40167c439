// SQS's message digests: MD5 of the body, and MD5 of the message attributes in SQS's length-prefixed encoding (what the SDKs verify).
import { createHash } from 'node:crypto';
import type { MessageAttributeValue } from './localQueue';

export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/**
 * Names in order; for each: name, data type, a transport byte (1 text, 2 binary) and the value, every variable part
 * preceded by its length as a 4-byte big-endian integer. Undefined when there are no attributes (SQS leaves the field out).
 */
export function md5OfAttributes(attributes: Readonly<Record<string, MessageAttributeValue>>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (!names.length) return undefined;
  const hash = createHash('md5');
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of names) {
    const value = attributes[name] as MessageAttributeValue;
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(value.dataType, 'utf8'));
    if (value.binaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      field(Buffer.from(value.binaryValue, 'base64'));
    } else {
      hash.update(Buffer.from([1]));
      field(Buffer.from(value.stringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}

/** The bytes a message counts against the size limit: its body, and every attribute's name, type and value. */
export function messageSize(body: string, attributes: Readonly<Record<string, MessageAttributeValue>>): number {
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, value] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.dataType);
    size += value.binaryValue !== undefined ? Buffer.from(value.binaryValue, 'base64').length : Buffer.byteLength(value.stringValue ?? '');
  }
  return size;
}
