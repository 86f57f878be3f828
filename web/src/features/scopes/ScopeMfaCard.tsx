import { Card, Stack, Switch, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { useCurrentScope } from '../../app/session.ts';
import type { Scope, UpdateScopeInput } from '../../app/types.ts';
import { notifyError, notifySuccess } from '../../app/ui.tsx';

/** The scope's "require a second factor for managers" setting (a manager's or an administrator's). */
export function ScopeMfaCard() {
  const { t } = useTranslation('scopes');
  const scope = useCurrentScope();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const change = async (on: boolean) => {
    setBusy(true);
    try {
      const body: UpdateScopeInput = { version: scope.version, requireMfaForManagers: on };
      const saved = await api.patch<Scope, UpdateScopeInput>(`/api/scopes/${scope.id}`, body);
      notifySuccess(saved.requireMfaForManagers ? t('mfa.on', { scope: saved.name }) : t('mfa.off', { scope: saved.name }));
    } catch (e) {
      notifyError(e, t('mfa.notChanged'));
    } finally {
      setBusy(false);
      void qc.invalidateQueries({ queryKey: ['scopes'] });
    }
  };
  return (
    <Card withBorder radius="md" p="lg" data-testid="scope-mfa-card">
      <Stack gap="sm">
        <Title order={4}>{t('mfa.title')}</Title>
        <Switch
          checked={scope.requireMfaForManagers}
          disabled={busy}
          onChange={(e) => change(e.currentTarget.checked)}
          label={t('mfa.requireLabel')}
          description={t('mfa.requireHint')}
          data-testid="scope-require-mfa"
        />
        <Text size="xs" c="dimmed">
          {t('mfa.enrolFirst')}
        </Text>
      </Stack>
    </Card>
  );
}
