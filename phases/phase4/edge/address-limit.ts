/**
 * Connections per source address: a count for each address with a connection open, so one
 * client (or one machine) cannot take every slot of the total limit. An address leaves the map
 * with its last connection, so the map never holds more entries than there are connections.
 * @module
 */

/** Open connections by source address, capped at `limit` each (0: no cap). */
export class AddressLimit {
  private readonly open = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** Counts a connection from `address` if it is within the limit; false (and no count) if not. */
  tryOpen(address: string): boolean {
    const count = this.open.get(address) ?? 0;
    if (this.limit > 0 && count >= this.limit) return false;
    this.open.set(address, count + 1);
    return true;
  }

  /** A counted connection from `address` closed. */
  closed(address: string): void {
    const count = this.open.get(address) ?? 0;
    if (count <= 1) this.open.delete(address);
    else this.open.set(address, count - 1);
  }

  /** Connections open from `address`. */
  count(address: string): number {
    return this.open.get(address) ?? 0;
  }
}
