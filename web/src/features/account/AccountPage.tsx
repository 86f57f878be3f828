import {
  Alert,
  Badge,
  Button,
  Card,
  EmptyState,
  Grid,
  Group,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconKey, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { formatDateTime, roleLabels } from '../../app/labels.ts';
import { scopeHome, useCurrentSession, useSetSession } from '../../app/session.ts';
import type { ApiToken, ChangePasswordInput, CreateApiTokenInput, CreatedApiToken, LoginInput, SessionResponse } from '../../app/types.ts';
import {
  applyFieldError,
  CopyField,
  ErrorAlert,
  notifyError,
  notifySuccess,
  PageHeader,
  TableSkeleton,
  useConfirm,
} from '../../app/ui.tsx';
import type { MfaPending } from './mfa-types.ts';
import { LanguageCard } from './LanguageCard.tsx';
import { textLimits } from '../../app/FormParts.tsx';
import { changePasswordBody, createApiTokenBody, passwordSchema } from '../../../../server/src/auth/auth.schemas.ts';

/** the current password as long as any the server would have let anyone set; the repeat as the new one */
const passwordLimits = textLimits({ ...changePasswordBody.shape, currentPassword: passwordSchema });
const tokenLimits = textLimits(createApiTokenBody.shape);
import { SecurityCard } from './SecurityCard.tsx';

export function AccountPage() {
  const { t: tr } = useTranslation('account');
  const session = useCurrentSession();
  const setSession = useSetSession();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { confirm, dialog } = useConfirm();
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => api.get<ApiToken[]>('/api/me/tokens') });
  const [created, setCreated] = useState<CreatedApiToken | null>(null);

  const password = useForm({
    initialValues: { currentPassword: '', newPassword: '', repeat: '' },
    validate: {
      currentPassword: (v) => (v ? null : tr('password.currentRequired')),
      newPassword: (v, values) => (v.length < 12 ? tr('password.tooShort') : v === values.currentPassword ? tr('password.same') : null),
      repeat: (v, values) => (v === values.newPassword ? null : tr('password.differ')),
    },
  });
  const changePassword = password.onSubmit(async (v) => {
    try {
      const body: ChangePasswordInput = { currentPassword: v.currentPassword, newPassword: v.newPassword };
      await api.post<unknown, ChangePasswordInput>('/api/auth/password', body);
    } catch (e) {
      if (!applyFieldError(password, e)) notifyError(e, tr('password.notChanged'));
      return;
    }
    // changing the password ends every session, this one included: log in again with the new password
    try {
      const again = await api.post<SessionResponse | MfaPending, LoginInput>('/api/auth/login', {
        email: session.user.email,
        password: v.newPassword,
      });
      // with a second factor, the login page asks for it (the pending sign-in is in its cookie)
      if ('mfaRequired' in again) throw new Error('second factor');
      setSession(again);
      password.reset();
      notifySuccess(tr('password.changedOthers'), tr('password.changedTitle'));
    } catch {
      setSession(null);
      notifySuccess(tr('password.changedLogin'), tr('password.changedTitle'));
      void navigate('/login', { replace: true });
    }
  });

  const tokenForm = useForm({
    initialValues: { name: '' },
    validate: { name: (v) => (v.trim() ? null : tr('tokens.nameRequired')) },
  });
  const createToken = tokenForm.onSubmit(async (v) => {
    try {
      const body: CreateApiTokenInput = { name: v.name.trim() };
      setCreated(await api.post<CreatedApiToken, CreateApiTokenInput>('/api/me/tokens', body));
      tokenForm.reset();
      void qc.invalidateQueries({ queryKey: ['tokens'] });
    } catch (e) {
      if (!applyFieldError(tokenForm, e)) notifyError(e, tr('tokens.notCreated'));
    }
  });
  const revoke = async (t: ApiToken) => {
    const ok = await confirm({
      title: tr('tokens.revoke.title', { name: t.name }),
      message: tr('tokens.revoke.message'),
      confirmLabel: tr('tokens.revoke.confirm'),
    });
    if (!ok) return;
    try {
      await api.delete(`/api/me/tokens/${t.id}`);
      notifySuccess(tr('tokens.revoke.done', { name: t.name }));
      if (created?.id === t.id) setCreated(null);
    } catch (e) {
      notifyError(e, tr('tokens.revoke.not'));
    }
    void qc.invalidateQueries({ queryKey: ['tokens'] });
  };

  const sortedTokens = [...(tokens.data ?? [])].sort(
    (a, b) => Number(!!a.revokedAt) - Number(!!b.revokedAt) || b.createdAt.localeCompare(a.createdAt),
  );
  return (
    <>
      {dialog}
      <PageHeader title={tr('title')} description={tr('description')} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg">
            <Card withBorder radius="md" p="lg" data-testid="profile-card">
              <Title order={4} mb="sm">
                {tr('profile.title')}
              </Title>
              <Text fw={500}>{session.user.name}</Text>
              <Text size="sm" c="dimmed">
                {session.user.email}
              </Text>
              {session.user.isAdmin && (
                <Badge mt="xs" variant="light">
                  {tr('profile.admin')}
                </Badge>
              )}
              <Text size="sm" fw={600} mt="md" mb={6}>
                {tr('profile.scopes')}
              </Text>
              {session.memberships.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {tr('profile.noScopes')}
                </Text>
              ) : (
                <Stack gap={6}>
                  {session.memberships.map((m) => (
                    <Group key={m.scopeId} justify="space-between" wrap="nowrap">
                      <Text size="sm" component={Link} to={scopeHome({ id: m.scopeId, role: m.role })} c="praxis.7" truncate>
                        {m.scopeName}
                      </Text>
                      <Badge variant="light" color="gray" size="sm">
                        {roleLabels[m.role]}
                      </Badge>
                    </Group>
                  ))}
                </Stack>
              )}
            </Card>
            <LanguageCard />
            {session?.user.hasPassword === false ? (
              <Card withBorder radius="md" p="lg" data-testid="password-card">
                <Title order={4}>{tr('password.title')}</Title>
                <Text size="sm" c="dimmed" mt={4}>
                  {tr('password.singleSignOn')}
                </Text>
              </Card>
            ) : (
              <Card withBorder radius="md" p="lg" data-testid="password-card">
                <form onSubmit={changePassword} noValidate>
                  <Stack>
                    <div>
                      <Title order={4}>{tr('password.title')}</Title>
                      <Text size="sm" c="dimmed">
                        {tr('password.hint')}
                      </Text>
                    </div>
                    <PasswordInput
                      label={tr('password.current')}
                      name="currentPassword"
                      maxLength={passwordLimits.currentPassword}
                      autoComplete="current-password"
                      {...password.getInputProps('currentPassword')}
                    />
                    <PasswordInput
                      label={tr('password.new')}
                      name="newPassword"
                      maxLength={passwordLimits.newPassword}
                      description={tr('password.atLeast12')}
                      autoComplete="new-password"
                      {...password.getInputProps('newPassword')}
                    />
                    <PasswordInput
                      label={tr('password.repeat')}
                      name="repeatPassword"
                      maxLength={passwordLimits.newPassword}
                      autoComplete="new-password"
                      {...password.getInputProps('repeat')}
                    />
                    <Group justify="flex-end">
                      <Button type="submit" loading={password.submitting} data-testid="change-password">
                        {tr('password.title')}
                      </Button>
                    </Group>
                  </Stack>
                </form>
              </Card>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <SecurityCard />
          <Card withBorder radius="md" p="lg" mt="lg" data-testid="tokens-card">
            <Stack>
              <div>
                <Title order={4}>{tr('tokens.title')}</Title>
                <Text size="sm" c="dimmed">
                  {tr('tokens.hintBefore')} <code>Authorization: Bearer …</code> {tr('tokens.hintAfter')}{' '}
                  <Text component="a" href="/api/docs" c="praxis.7" size="sm">
                    /api/docs
                  </Text>
                  .
                </Text>
              </div>
              <form onSubmit={createToken} noValidate>
                <Group align="flex-start" gap="sm">
                  <TextInput
                    placeholder={tr('tokens.namePlaceholder')}
                    style={{ flex: 1, minWidth: 200 }}
                    aria-label={tr('tokens.name')}
                    name="tokenName"
                    maxLength={tokenLimits.name}
                    {...tokenForm.getInputProps('name')}
                  />
                  <Button type="submit" leftSection={<IconPlus size={16} />} loading={tokenForm.submitting} data-testid="create-token">
                    {tr('tokens.create')}
                  </Button>
                </Group>
              </form>
              {created && (
                <Alert
                  color="yellow"
                  variant="light"
                  icon={<IconAlertTriangle size={18} />}
                  title={tr('tokens.created', { name: created.name })}
                  withCloseButton
                  closeButtonLabel={tr('tokens.copied')}
                  onClose={() => setCreated(null)}
                  data-testid="created-token"
                >
                  <Text size="sm" mb="xs">
                    {tr('tokens.onlyOnce')}
                  </Text>
                  <CopyField value={created.token} label={tr('tokens.copy')} testId="new-token" />
                </Alert>
              )}
              {tokens.error ? (
                <ErrorAlert error={tokens.error} />
              ) : tokens.isPending ? (
                <TableSkeleton rows={2} />
              ) : sortedTokens.length === 0 ? (
                <EmptyState
                  py="lg"
                  size="sm"
                  icon={<IconKey size={24} />}
                  withIndicatorBackground
                  title={tr('tokens.none')}
                  description={tr('tokens.noneHint')}
                />
              ) : (
                <Table.ScrollContainer minWidth={520}>
                  <Table fz="sm" verticalSpacing="sm" data-testid="tokens-table">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{tr('tokens.col.name')}</Table.Th>
                        <Table.Th>{tr('tokens.col.prefix')}</Table.Th>
                        <Table.Th>{tr('tokens.col.created')}</Table.Th>
                        <Table.Th>{tr('tokens.col.lastUsed')}</Table.Th>
                        <Table.Th />
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {sortedTokens.map((t) => (
                        <Table.Tr key={t.id} data-testid="token-row" style={{ opacity: t.revokedAt ? 0.6 : 1 }}>
                          <Table.Td fw={500}>{t.name}</Table.Td>
                          <Table.Td>
                            <Text ff="monospace" size="xs">
                              {t.prefix}…
                            </Text>
                          </Table.Td>
                          <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(t.createdAt)}</Table.Td>
                          <Table.Td style={{ whiteSpace: 'nowrap' }}>
                            {t.lastUsedAt ? (
                              formatDateTime(t.lastUsedAt)
                            ) : (
                              <Text span c="dimmed" size="sm">
                                {tr('tokens.never')}
                              </Text>
                            )}
                          </Table.Td>
                          <Table.Td ta="right">
                            {t.revokedAt ? (
                              <Tooltip label={tr('tokens.revokedOn', { date: formatDateTime(t.revokedAt) })}>
                                <Badge color="gray" variant="light">
                                  {tr('tokens.revoked')}
                                </Badge>
                              </Tooltip>
                            ) : (
                              <Button size="compact-sm" color="red" variant="subtle" onClick={() => revoke(t)} data-testid="revoke-token">
                                {tr('tokens.revoke.button')}
                              </Button>
                            )}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>
    </>
  );
}
