import { Alert, Button, Group, Text } from '@mantine/core';
import { IconShieldLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Scope } from '../../app/types.ts';

/** Above every page of a scope whose managers need a second factor while this manager has none. */
export function MfaRequiredBanner({ scope }: { scope: Scope }) {
  const { t } = useTranslation('scopes');
  if (!scope.managerNeedsMfa) return null;
  return (
    <Alert
      color="orange"
      variant="light"
      mb="md"
      icon={<IconShieldLock size={18} />}
      title={t('mfa.bannerTitle', { scope: scope.name })}
      data-testid="mfa-required-banner"
    >
      <Group justify="space-between" gap="xs">
        <Text size="sm">{t('mfa.bannerText')}</Text>
        <Button size="xs" component={Link} to="/account">
          {t('mfa.bannerAction')}
        </Button>
      </Group>
    </Alert>
  );
}
