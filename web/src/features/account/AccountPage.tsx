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
import { api } from '../../app/api.ts';
import { formatDateTime, roleLabels } from '../../app/labels.ts';
import { scopeHome, useCurrentSession, useSetSession } from '../../app/session.ts';
import type { ApiToken, ChangePasswordInput, CreateApiTokenInput, CreatedApiToken, SessionResponse } from '../../app/types.ts';
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

export function AccountPage() {
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
      currentPassword: (v) => (v ? null : 'Enter your current password'),
      newPassword: (v, values) =>
        v.length < 12
          ? 'The new password needs at least 12 characters'
          : v === values.currentPassword
            ? 'Choose a password different from the current one'
            : null,
      repeat: (v, values) => (v === values.newPassword ? null : 'The passwords do not match'),
    },
  });
  const changePassword = password.onSubmit(async (v) => {
    try {
      const body: ChangePasswordInput = { currentPassword: v.currentPassword, newPassword: v.newPassword };
      await api.post('/api/auth/password', body);
    } catch (e) {
      if (!applyFieldError(password, e)) notifyError(e, 'Password not changed');
      return;
    }
    // changing the password ends every session, this one included: log in again with the new password
    try {
      setSession(await api.post<SessionResponse>('/api/auth/login', { email: session.user.email, password: v.newPassword }));
      password.reset();
      notifySuccess('Your password was changed. Sessions on other devices were logged out.', 'Password changed');
    } catch {
      setSession(null);
      notifySuccess('Your password was changed. Log in with the new password.', 'Password changed');
      void navigate('/login', { replace: true });
    }
  });

  const tokenForm = useForm({
    initialValues: { name: '' },
    validate: { name: (v) => (v.trim() ? null : 'Name the token after the script or integration that uses it') },
  });
  const createToken = tokenForm.onSubmit(async (v) => {
    try {
      const body: CreateApiTokenInput = { name: v.name.trim() };
      setCreated(await api.post<CreatedApiToken>('/api/me/tokens', body));
      tokenForm.reset();
      void qc.invalidateQueries({ queryKey: ['tokens'] });
    } catch (e) {
      if (!applyFieldError(tokenForm, e)) notifyError(e, 'Token not created');
    }
  });
  const revoke = async (t: ApiToken) => {
    const ok = await confirm({
      title: `Revoke “${t.name}”?`,
      message:
        'Scripts and integrations using this token stop working at once. This cannot be undone; create a new token if you need one again.',
      confirmLabel: 'Revoke token',
    });
    if (!ok) return;
    try {
      await api.delete(`/api/me/tokens/${t.id}`);
      notifySuccess(`Token “${t.name}” revoked`);
      if (created?.id === t.id) setCreated(null);
    } catch (e) {
      notifyError(e, 'Not revoked');
    }
    void qc.invalidateQueries({ queryKey: ['tokens'] });
  };

  const sortedTokens = [...(tokens.data ?? [])].sort(
    (a, b) => Number(!!a.revokedAt) - Number(!!b.revokedAt) || b.createdAt.localeCompare(a.createdAt),
  );
  return (
    <>
      {dialog}
      <PageHeader title="Account" description="Your profile, password and API tokens." />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg">
            <Card withBorder radius="md" p="lg" data-testid="profile-card">
              <Title order={4} mb="sm">
                Profile
              </Title>
              <Text fw={500}>{session.user.name}</Text>
              <Text size="sm" c="dimmed">
                {session.user.email}
              </Text>
              {session.user.isAdmin && (
                <Badge mt="xs" variant="light">
                  Administrator of this installation
                </Badge>
              )}
              <Text size="sm" fw={600} mt="md" mb={6}>
                Your scopes
              </Text>
              {session.memberships.length === 0 ? (
                <Text size="sm" c="dimmed">
                  You are not a member of any scope yet.
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
            <Card withBorder radius="md" p="lg" data-testid="password-card">
              <form onSubmit={changePassword} noValidate>
                <Stack>
                  <div>
                    <Title order={4}>Change password</Title>
                    <Text size="sm" c="dimmed">
                      Sessions on other devices are logged out.
                    </Text>
                  </div>
                  <PasswordInput
                    label="Current password"
                    name="currentPassword"
                    autoComplete="current-password"
                    {...password.getInputProps('currentPassword')}
                  />
                  <PasswordInput
                    label="New password"
                    name="newPassword"
                    description="At least 12 characters"
                    autoComplete="new-password"
                    {...password.getInputProps('newPassword')}
                  />
                  <PasswordInput
                    label="Repeat the new password"
                    name="repeatPassword"
                    autoComplete="new-password"
                    {...password.getInputProps('repeat')}
                  />
                  <Group justify="flex-end">
                    <Button type="submit" loading={password.submitting} data-testid="change-password">
                      Change password
                    </Button>
                  </Group>
                </Stack>
              </form>
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder radius="md" p="lg" data-testid="tokens-card">
            <Stack>
              <div>
                <Title order={4}>API tokens</Title>
                <Text size="sm" c="dimmed">
                  Scripts and integrations authenticate with a token in the header <code>Authorization: Bearer …</code> and act with your
                  roles. The API is described at{' '}
                  <Text component="a" href="/api/docs" c="praxis.7" size="sm">
                    /api/docs
                  </Text>
                  .
                </Text>
              </div>
              <form onSubmit={createToken} noValidate>
                <Group align="flex-start" gap="sm">
                  <TextInput
                    placeholder="e.g. Asset import script"
                    style={{ flex: 1, minWidth: 200 }}
                    aria-label="Token name"
                    name="tokenName"
                    {...tokenForm.getInputProps('name')}
                  />
                  <Button type="submit" leftSection={<IconPlus size={16} />} loading={tokenForm.submitting} data-testid="create-token">
                    Create token
                  </Button>
                </Group>
              </form>
              {created && (
                <Alert
                  color="yellow"
                  variant="light"
                  icon={<IconAlertTriangle size={18} />}
                  title={`Token “${created.name}” created: copy it now`}
                  withCloseButton
                  closeButtonLabel="I have copied the token"
                  onClose={() => setCreated(null)}
                  data-testid="created-token"
                >
                  <Text size="sm" mb="xs">
                    This is the only time the token is shown. Store it somewhere safe, such as a password manager or your script's secret
                    store; if it is lost, revoke it and create a new one.
                  </Text>
                  <CopyField value={created.token} label="Copy token" testId="new-token" />
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
                  title="No API tokens"
                  description="Create a token to let a script read or maintain your registers."
                />
              ) : (
                <Table.ScrollContainer minWidth={520}>
                  <Table fz="sm" verticalSpacing="sm" data-testid="tokens-table">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Name</Table.Th>
                        <Table.Th>Starts with</Table.Th>
                        <Table.Th>Created</Table.Th>
                        <Table.Th>Last used</Table.Th>
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
                                Never
                              </Text>
                            )}
                          </Table.Td>
                          <Table.Td ta="right">
                            {t.revokedAt ? (
                              <Tooltip label={`Revoked ${formatDateTime(t.revokedAt)}`}>
                                <Badge color="gray" variant="light">
                                  Revoked
                                </Badge>
                              </Tooltip>
                            ) : (
                              <Button size="compact-sm" color="red" variant="subtle" onClick={() => revoke(t)} data-testid="revoke-token">
                                Revoke
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
