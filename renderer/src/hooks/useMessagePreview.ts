import { useMemo } from 'react';
import { countSegments, type SegmentInfo } from '../../../shared/segments';
import { withShownLinks, withStandInLinks } from '../../../shared/smartlinks';
import { compileTemplate, renderMessage } from '../../../shared/template';

export interface MessagePreview {
  /** The message as the recipient sees it, but for smartlinks, shown as `shownLink` (shared/smartlinks.ts). */
  text: string;
  /** Its length as sent: a smartlink counts as the platform's short link. */
  characters: number;
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
    const counted = withStandInLinks(rendered.text);
    return {
      text: withShownLinks(rendered.text),
      characters: [...counted].length,
      emptyPlaceholders: rendered.emptyPlaceholders,
      segments: countSegments(counted),
    };
  }, [compiled, values]);
}
