import { Anchor, Button, Divider, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDocumentTitle } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { IconBuilding, IconUserShield } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { scopeHome, useSetSession, useSetupStatus } from '../../app/session.ts';
import type { Profile, SessionResponse, SetupInput } from '../../app/types.ts';
import { applyFieldError, ErrorAlert, FullPageLoader } from '../../app/ui.tsx';
import { AuthLayout } from '../auth/AuthLayout.tsx';
import { ProfilePicker } from '../scopes/ProfilePicker.tsx';
import { textLimits } from '../../app/FormParts.tsx';
import { setupBody } from '../../../../server/src/auth/auth.schemas.ts';

const adminLimits = textLimits(setupBody.shape.admin.shape);
const scopeLimits = textLimits(setupBody.shape.scope.shape);

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** First-run setup: the installation administrator and the first ISMS scope. */
export function SetupPage() {
  const { t } = useTranslation('setup');
  useDocumentTitle(t('documentTitle'));
  const navigate = useNavigate();
  const setSession = useSetSession();
  const qc = useQueryClient();
  const status = useSetupStatus();
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: { adminName: '', adminEmail: '', adminPassword: '', scopeName: '', profile: 'small' as Profile },
    validate: {
      adminName: (v) => (v.trim() ? null : t('nameRequired')),
      adminEmail: (v) => (emailPattern.test(v.trim()) ? null : t('emailInvalid')),
      adminPassword: (v) => (v.length >= 12 ? null : t('passwordTooShort')),
      scopeName: (v) => (v.trim() ? null : t('scopeRequired')),
    },
  });
  if (status.isPending) return <FullPageLoader />;
  if (status.data && !status.data.needed) return <Navigate to="/" replace />;

  const submit = form.onSubmit(async (v) => {
    setError(null);
    const body: SetupInput = {
      admin: { name: v.adminName.trim(), email: v.adminEmail.trim(), password: v.adminPassword },
      scope: { name: v.scopeName.trim(), profile: v.profile },
    };
    try {
      const session = await api.post<SessionResponse, SetupInput>('/api/setup', body);
      qc.setQueryData(['setup'], { needed: false });
      setSession(session);
      const first = session.memberships[0];
      void navigate(first ? scopeHome({ id: first.scopeId, role: first.role }) : '/', { replace: true });
    } catch (e) {
      const map = {
        'body.admin.name': 'adminName',
        'body.admin.email': 'adminEmail',
        'body.admin.password': 'adminPassword',
        'body.scope.name': 'scopeName',
        'body.scope.profile': 'profile',
      };
      if (!applyFieldError(form, e, map)) setError(e);
    }
  });

  return (
    <AuthLayout width={540} testId="setup-page">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <div>
            <Title order={2}>{t('welcome')}</Title>
            <Text c="dimmed" size="sm" mt={4}>
              {t('intro')}
            </Text>
          </div>
          <ErrorAlert error={error} title={t('failed')} />
          <Divider label={<SectionLabel icon={<IconUserShield size={14} />} text={t('administrator')} />} labelPosition="left" />
          <TextInput
            label={t('yourName')}
            name="adminName"
            autoComplete="name"
            withAsterisk
            maxLength={adminLimits.name}
            {...form.getInputProps('adminName')}
          />
          <TextInput
            label={t('email')}
            name="adminEmail"
            type="email"
            autoComplete="email"
            withAsterisk
            maxLength={adminLimits.email}
            {...form.getInputProps('adminEmail')}
          />
          <PasswordInput
            label={t('password')}
            name="adminPassword"
            description={t('passwordHint')}
            autoComplete="new-password"
            withAsterisk
            maxLength={adminLimits.password}
            {...form.getInputProps('adminPassword')}
          />
          <Divider mt="xs" label={<SectionLabel icon={<IconBuilding size={14} />} text={t('firstScope')} />} labelPosition="left" />
          <TextInput
            label={t('organisation')}
            name="scopeName"
            description={t('organisationHint')}
            placeholder={t('organisationPlaceholder')}
            withAsterisk
            maxLength={scopeLimits.name}
            {...form.getInputProps('scopeName')}
          />
          <ProfilePicker value={form.values.profile} onChange={(p) => form.setFieldValue('profile', p)} error={form.errors.profile} />
          <Button type="submit" size="md" mt="xs" loading={form.submitting} data-testid="setup-submit">
            {t('create')}
          </Button>
          <Text size="xs" c="dimmed" ta="center">
            {t('alreadySetUp')}{' '}
            <Anchor component={Link} to="/login" size="xs">
              {t('logIn')}
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthLayout>
  );
}

function SectionLabel({ icon, text }: { icon: React.ReactNode; text: string }) {
  return (
    <Text size="xs" fw={700} tt="uppercase" c="dimmed" style={{ display: 'flex', alignItems: 'center', gap: 6, letterSpacing: 0.4 }}>
      {icon}
      {text}
    </Text>
  );
}
