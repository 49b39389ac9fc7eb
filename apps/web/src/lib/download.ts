/** Offers text as a file download (no server round trip). */
export function downloadText(filename: string, text: string, type = 'text/yaml'): void {
  downloadBlob(filename, new Blob([text], { type }));
}

export function downloadBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file name from a design name: `Checkout` → `Checkout`, `a/b c` → `a-b-c`. */
export function fileStem(name: string): string {
  return (name || 'design').replace(/[^\w.-]+/g, '-');
}
