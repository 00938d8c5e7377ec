// Text as a regular expression that matches exactly that text.

export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?|()[\]{}]/g, '\\$&');
}
