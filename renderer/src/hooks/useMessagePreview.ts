import { useMemo } from 'react';
import { countSegments, type SegmentInfo } from '../../../shared/segments';
import { withStandInLinks } from '../../../shared/smartlinks';
import { compileTemplate, renderMessage } from '../../../shared/template';

export interface MessagePreview {
  /** The message as the recipient sees it: smartlinks shown as stand-ins of a short link's length. */
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
    const rendered = renderMessage(compiled, values);
    const text = withStandInLinks(rendered.text);
    return { text, emptyPlaceholders: rendered.emptyPlaceholders, segments: countSegments(text) };
  }, [compiled, values]);
}
