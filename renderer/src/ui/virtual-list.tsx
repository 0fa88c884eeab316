import { useRef, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

/** A fixed-row-height virtualized list: DOM size stays bounded whatever the item count. */
export function VirtualList<T>({
  items,
  rowHeight,
  renderRow,
  getKey,
  className,
  label,
  testId,
  height,
}: {
  items: readonly T[];
  rowHeight: number;
  renderRow: (item: T, index: number) => ReactNode;
  getKey: (item: T, index: number) => string;
  className?: string;
  label: string;
  testId?: string;
  /** Fixed height in px; otherwise the list fills its flex parent. */
  height?: number;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 6,
  });
  return (
    <div
      ref={scrollRef}
      className={`vlist ${className ?? ''}`}
      role="list"
      aria-label={label}
      data-testid={testId}
      style={height === undefined ? undefined : { height }}
    >
      <div className="vlist-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((v) => (
          <div
            key={getKey(items[v.index]!, v.index)}
            role="listitem"
            className="vlist-row"
            style={{ transform: `translateY(${v.start}px)`, height: rowHeight }}
          >
            {renderRow(items[v.index]!, v.index)}
          </div>
        ))}
      </div>
    </div>
  );
}
