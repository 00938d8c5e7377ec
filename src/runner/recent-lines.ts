// The last lines of a channel, kept for failure messages whatever the guest printed before.

export class RecentLines {
  private readonly lines: string[] = [];

  constructor(private readonly limit = 20) {}

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.limit) this.lines.shift();
  }

  list(): string[] {
    return [...this.lines];
  }
}
