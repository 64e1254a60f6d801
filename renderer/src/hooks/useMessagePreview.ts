import { useMemo } from 'react';
import { countSegments, type SegmentInfo } from '../../../shared/segments';
import { compileTemplate, renderMessage } from '../../../shared/template';

export interface MessagePreview {
  text: string;
  /** Placeholders whose cell is empty in this row and that have no fallback. */
  emptyPlaceholders: string[];
  segments: SegmentInfo;
}

/** Renders the draft template for one row locally, with the same functions the core uses to send. */
export function useMessagePreview(
  template: string,
  columns: readonly string[],
  values: readonly string[] | undefined,
): MessagePreview | null {
  const compiled = useMemo(() => compileTemplate(template, columns), [template, columns]);
  return useMemo(() => {
    if (!values) return null;
    const { text, emptyPlaceholders } = renderMessage(compiled, values);
    return { text, emptyPlaceholders, segments: countSegments(text) };
  }, [compiled, values]);
}
