/** A labelled progress bar for long work (re-encryption, export). */
export function ProgressBar({ label, done, total }: { label: string; done: number; total: number }) {
  const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return (
    <div className="progress-row">
      <progress aria-label={label} max={100} value={pct} />
      <span aria-hidden="true">{pct}%</span>
    </div>
  );
}
