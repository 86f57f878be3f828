import { Badge } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/labels.ts';
import { formatCountdown } from './incident-types.ts';

/** A live countdown to a regulatory deadline: orange under 12 hours, red when overdue. */
export function Countdown({ dueAt, testId }: { dueAt: string; testId?: string }) {
  const { t } = useTranslation('incidents');
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const left = new Date(dueAt).getTime() - now;
  const color = left < 0 ? 'red' : left < 12 * 3_600_000 ? 'orange' : 'blue';
  return (
    <Badge
      color={color}
      variant={left < 0 ? 'filled' : 'light'}
      data-testid={testId ?? 'countdown'}
      title={t('countdown.due', { date: formatDateTime(dueAt) })}
    >
      {formatCountdown(left)}
    </Badge>
  );
}
