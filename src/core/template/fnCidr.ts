// Fn::Cidr for IPv4: splits an address block into `count` subnets with `cidrBits` host bits each.

/** The subnets, or undefined when the block is not IPv4 or the request does not fit. */
export function cidrSubnets(ipBlock: string, count: number, cidrBits: number): string[] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(ipBlock.trim());
  if (!match || !Number.isInteger(count) || !Number.isInteger(cidrBits) || count < 1 || cidrBits < 0) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  const subnetPrefix = 32 - cidrBits;
  if (octets.some((octet) => octet > 255) || prefix > 32 || subnetPrefix < prefix || count > 2 ** (subnetPrefix - prefix)) return undefined;
  const base = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  const blockStart = base - (base % 2 ** (32 - prefix));
  return Array.from({ length: count }, (_, index) => {
    const start = blockStart + index * 2 ** cidrBits;
    const parts = [24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256);
    return `${parts.join('.')}/${subnetPrefix}`;
  });
}
