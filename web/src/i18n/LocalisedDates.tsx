import 'dayjs/locale/de';
import { DatesProvider } from '@mantine/dates';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Mantine's date inputs and calendars in the current language: month and weekday names come from the dayjs locale of
 * that language (imported above for every language with a catalog besides English), and weeks start on Monday.
 */
export function LocalisedDates({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return <DatesProvider settings={{ locale: i18n.resolvedLanguage ?? i18n.language, firstDayOfWeek: 1 }}>{children}</DatesProvider>;
}
