import type { Bucket } from './distributions';

/** A plain SVG bar chart with its numbers written out (and a table for screen readers). */
export function BarChart({
  title,
  buckets,
  unit,
  testId,
}: {
  title: string;
  buckets: Bucket[];
  unit: string;
  testId?: string;
}) {
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const barWidth = 56;
  const gap = 12;
  const height = 160;
  // Room above the tallest bar for its figure.
  const top = 20;
  const width = buckets.length * (barWidth + gap) + gap;
  return (
    <figure className="chart" data-testid={testId} data-total={buckets.reduce((n, b) => n + b.count, 0)}>
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${width} ${top + height + 40}`}
        width="100%"
        role="img"
        aria-label={`${title}: ${buckets.map((b) => `${b.label} ${b.count} ${unit}`).join(', ')}`}
      >
        {buckets.map((b, i) => {
          const h = (b.count / max) * height;
          const x = gap + i * (barWidth + gap);
          return (
            <g key={b.label}>
              <rect x={x} y={top + height - h} width={barWidth} height={h} className="chart-bar" rx={3} />
              <text x={x + barWidth / 2} y={top + height - h - 6} textAnchor="middle" className="chart-value">
                {b.count}
              </text>
              <text x={x + barWidth / 2} y={top + height + 18} textAnchor="middle" className="chart-label">
                {b.label}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
