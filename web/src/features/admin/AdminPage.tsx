import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  CloseButton,
  EmptyState,
  Group,
  Menu,
  Modal,
  Pagination,
  PasswordInput,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  IconBuilding,
  IconDots,
  IconLink,
  IconPlus,
  IconSearch,
  IconShieldCog,
  IconUserOff,
  IconUserPlus,
  IconUsers,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { ListError } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { formatDate, formatDateTime, profileLabels, roleLabels } from '../../app/labels.ts';
import { useCurrentSession, useScopes } from '../../app/session.ts';
import type { CreateScopeInput, CreateUserInput, Profile, Scope, UpdateUserInput, User } from '../../app/types.ts';
import { applyFieldError, CopyField, notifyError, notifySuccess, PageHeader, TableSkeleton, useConfirm } from '../../app/ui.tsx';
import { ProfilePicker } from '../scopes/ProfilePicker.tsx';
import { textLimits } from '../../app/FormParts.tsx';
import { createScopeBody } from '../../../../server/src/scopes/scope.schemas.ts';
import { createUserBody, listUsersQuery } from '../../../../server/src/users/user.schemas.ts';
import type { InvitationLink, UserListItem } from './types.ts';

const userLimits = textLimits(createUserBody.shape);
const scopeLimits = textLimits(createScopeBody.shape);
const searchLimit = textLimits(listUsersQuery.shape).q;

const PAGE_SIZE = 25;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const statusColors: Record<User['status'], string> = { active: 'teal', invited: 'blue', disabled: 'gray' };

/** Installation administration: user accounts and scopes. */
export function AdminPage() {
  const { t } = useTranslation('admin');
  const session = useCurrentSession();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'scopes' ? 'scopes' : 'users';
  if (!session.user.isAdmin) return <Navigate to="/" replace />;
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <Tabs value={tab} onChange={(v) => setParams(v === 'scopes' ? { tab: 'scopes' } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="users" leftSection={<IconUsers size={16} />}>
            {t('tabs.users')}
          </Tabs.Tab>
          <Tabs.Tab value="scopes" leftSection={<IconBuilding size={16} />}>
            {t('tabs.scopes')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="users">
          <UsersPanel />
        </Tabs.Panel>
        <Tabs.Panel value="scopes">
          <ScopesPanel />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function UsersPanel() {
  const { t } = useTranslation('admin');
  const session = useCurrentSession();
  const qc = useQueryClient();
  const { confirm, dialog } = useConfirm();
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const [page, setPage] = useState(1);
  const [creating, { open, close }] = useDisclosure(false);
  const [invitation, setInvitation] = useState<{ user: UserListItem; link: InvitationLink } | null>(null);
  const users = useQuery({
    queryKey: ['users', debouncedQ, page],
    queryFn: () => api.get<Page<UserListItem>>('/api/users', { q: debouncedQ, page, pageSize: PAGE_SIZE }),
    placeholderData: (p) => p,
  });
  const form = useForm({
    initialValues: { email: '', name: '', password: '', isAdmin: false },
    validate: {
      name: (v) => (v.trim() ? null : t('users.form.nameRequired')),
      email: (v) => (emailPattern.test(v.trim()) ? null : t('users.form.emailInvalid')),
      password: (v) => (v.length >= 12 ? null : t('users.form.passwordTooShort')),
    },
  });
  const createUser = form.onSubmit(async (v) => {
    try {
      const body: CreateUserInput = { ...v, email: v.email.trim(), name: v.name.trim() };
      const u = await api.post<User, CreateUserInput>('/api/users', body);
      notifySuccess(t('users.created', { name: u.name, email: u.email }), t('users.createdTitle'));
      form.reset();
      close();
      void qc.invalidateQueries({ queryKey: ['users'] });
    } catch (e) {
      if (!applyFieldError(form, e)) notifyError(e, t('users.notCreated'));
    }
  });
  const update = async (u: User, patch: Omit<UpdateUserInput, 'version'>, message: string) => {
    try {
      await api.patch<User, UpdateUserInput>(`/api/users/${u.id}`, { version: u.version, ...patch });
      notifySuccess(message);
    } catch (e) {
      notifyError(e);
    }
    void qc.invalidateQueries({ queryKey: ['users'] });
  };
  const toggleStatus = async (u: User) => {
    if (u.status !== 'disabled') {
      const ok = await confirm({
        title: t('users.disableTitle', { name: u.name }),
        message: t('users.disableMessage', { email: u.email }),
        confirmLabel: t('users.disable'),
      });
      if (!ok) return;
      await update(u, { status: 'disabled' }, t('users.disabled', { name: u.name }));
    } else {
      await update(u, { status: 'active' }, t('users.enabled', { name: u.name }));
    }
  };
  const toggleAdmin = async (u: User) => {
    if (!u.isAdmin) {
      const ok = await confirm({
        title: t('users.makeAdminTitle', { name: u.name }),
        message: t('users.makeAdminMessage'),
        confirmLabel: t('users.makeAdmin'),
        color: 'praxis',
      });
      if (!ok) return;
    }
    await update(
      u,
      { isAdmin: !u.isAdmin },
      u.isAdmin ? t('users.isAdminNoMore', { name: u.name }) : t('users.isAdminNow', { name: u.name }),
    );
  };
  /** A new invitation link (the ones sent before stop working), shown to copy. */
  const newInvitationLink = async (u: UserListItem) => {
    const ok = await confirm({
      title: t('invitation.confirmTitle', { name: u.name }),
      message: t('invitation.confirmMessage', { email: u.email }),
      confirmLabel: t('invitation.confirm'),
      color: 'praxis',
    });
    if (!ok) return;
    try {
      const link = await api.post<InvitationLink>(`/api/users/${u.id}/invitation`);
      setInvitation({ user: u, link });
      notifySuccess(t('invitation.made', { email: u.email }));
    } catch (e) {
      notifyError(e, t('invitation.notMade'));
    }
    void qc.invalidateQueries({ queryKey: ['users'] });
  };

  return (
    <>
      {dialog}
      <Card withBorder radius="md" p={0}>
        <Group p="md" justify="space-between" wrap="wrap" gap="sm">
          <TextInput
            placeholder={t('users.searchPlaceholder')}
            aria-label={t('users.searchLabel')}
            maxLength={searchLimit}
            leftSection={<IconSearch size={16} />}
            rightSection={q ? <CloseButton size="sm" aria-label={t('users.clearSearch')} onClick={() => setQ('')} /> : null}
            value={q}
            onChange={(e) => {
              setQ(e.currentTarget.value);
              setPage(1);
            }}
            w={{ base: '100%', sm: 300 }}
            data-testid="user-search"
          />
          <Button leftSection={<IconUserPlus size={16} />} onClick={open} data-testid="new-user">
            {t('users.new')}
          </Button>
        </Group>
        {users.error ? (
          <ListError error={users.error} />
        ) : users.isPending ? (
          <TableSkeleton />
        ) : users.data.total === 0 ? (
          <EmptyState
            py={48}
            icon={<IconUsers size={28} />}
            withIndicatorBackground
            title={t('users.noneMatch')}
            description={t('users.noneMatchHint')}
          />
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="users-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('users.columns.user')}</Table.Th>
                  <Table.Th>{t('users.columns.status')}</Table.Th>
                  <Table.Th>{t('users.columns.created')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {users.data.items.map((u) => (
                  <Table.Tr key={u.id} data-testid="user-row" style={{ opacity: u.status === 'disabled' ? 0.65 : 1 }}>
                    <Table.Td>
                      <Group gap={6}>
                        <Text size="sm" fw={500}>
                          {u.name}
                        </Text>
                        {u.isAdmin && (
                          <Badge size="xs" variant="light" leftSection={<IconShieldCog size={10} />}>
                            {t('users.administrator')}
                          </Badge>
                        )}
                        {u.id === session.user.id && (
                          <Badge size="xs" variant="filled">
                            {t('users.you')}
                          </Badge>
                        )}
                      </Group>
                      <Text size="xs" c="dimmed">
                        {u.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={statusColors[u.status]}>
                        {t(`users.status.${u.status}`)}
                      </Badge>
                      {u.status === 'invited' && <InvitationExpiry expiresAt={u.invitationExpiresAt} />}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDate(u.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      {u.id !== session.user.id && (
                        <Menu position="bottom-end" shadow="md" withinPortal>
                          <Menu.Target>
                            <Button
                              variant="subtle"
                              color="gray"
                              size="compact-sm"
                              aria-label={t('users.actionsFor', { name: u.name })}
                              data-testid="user-actions"
                            >
                              <IconDots size={16} />
                            </Button>
                          </Menu.Target>
                          <Menu.Dropdown>
                            {u.status === 'invited' && (
                              <Menu.Item
                                leftSection={<IconLink size={16} />}
                                onClick={() => newInvitationLink(u)}
                                data-testid="new-invitation-link"
                              >
                                {t('invitation.newLink')}
                              </Menu.Item>
                            )}
                            <Menu.Item leftSection={<IconShieldCog size={16} />} onClick={() => toggleAdmin(u)}>
                              {u.isAdmin ? t('users.removeAdmin') : t('users.makeAdmin')}
                            </Menu.Item>
                            {u.status !== 'invited' && (
                              <Menu.Item
                                leftSection={<IconUserOff size={16} />}
                                color={u.status === 'disabled' ? undefined : 'red'}
                                onClick={() => toggleStatus(u)}
                                data-testid="toggle-user-status"
                              >
                                {u.status === 'disabled' ? t('users.enable') : t('users.disable')}
                              </Menu.Item>
                            )}
                          </Menu.Dropdown>
                        </Menu>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {users.data && users.data.total > 0 && (
          <Group justify="space-between" p="md">
            <Text size="sm" c="dimmed">
              {t('users.count', { count: users.data.total })}
            </Text>
            {users.data.total > PAGE_SIZE && (
              <Pagination total={Math.ceil(users.data.total / PAGE_SIZE)} value={page} onChange={setPage} size="sm" />
            )}
          </Group>
        )}
      </Card>
      <Modal opened={creating} onClose={close} title={<Text fw={600}>{t('users.form.title')}</Text>} data-testid="new-user-modal">
        <form onSubmit={createUser} noValidate>
          <Stack>
            <TextInput
              label={t('users.form.name')}
              name="userName"
              withAsterisk
              data-autofocus
              maxLength={userLimits.name}
              {...form.getInputProps('name')}
            />
            <TextInput
              label={t('users.form.email')}
              name="userEmail"
              type="email"
              withAsterisk
              maxLength={userLimits.email}
              {...form.getInputProps('email')}
            />
            <PasswordInput
              label={t('users.form.password')}
              name="userPassword"
              description={t('users.form.passwordHint')}
              withAsterisk
              maxLength={userLimits.password}
              {...form.getInputProps('password')}
            />
            <Checkbox
              label={t('users.form.isAdmin')}
              description={t('users.form.isAdminHint')}
              {...form.getInputProps('isAdmin', { type: 'checkbox' })}
            />
            <Text size="xs" c="dimmed">
              {t('users.form.inviteInstead')}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('users.form.cancel')}
              </Button>
              <Button type="submit" loading={form.submitting}>
                {t('users.form.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <Modal
        opened={!!invitation}
        onClose={() => setInvitation(null)}
        title={<Text fw={600}>{t('invitation.modalTitle', { name: invitation?.user.name ?? '' })}</Text>}
        data-testid="invitation-link-modal"
      >
        {invitation && (
          <Stack>
            <Text size="sm">{t('invitation.sendIt', { email: invitation.user.email, scope: invitation.link.scopeName })}</Text>
            <CopyField
              value={new URL(invitation.link.invitationUrl, window.location.origin).toString()}
              label={t('invitation.copy')}
              testId="invitation-link"
            />
            <Text size="xs" c="dimmed">
              {t('invitation.validUntil', { date: formatDateTime(invitation.link.expiresAt) })}
            </Text>
            <Group justify="flex-end">
              <Button onClick={() => setInvitation(null)}>{t('invitation.done')}</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}

/** Under an invited user's status: until when their invitation link works, or that it has expired. */
function InvitationExpiry({ expiresAt }: { expiresAt: string | null }) {
  const { t } = useTranslation('admin');
  if (!expiresAt) {
    return (
      <Text size="xs" c="dimmed" mt={2}>
        {t('invitation.none')}
      </Text>
    );
  }
  const expired = new Date(expiresAt).getTime() <= Date.now();
  return (
    <Text size="xs" c={expired ? 'orange' : 'dimmed'} mt={2} data-testid="invitation-expiry">
      {t(expired ? 'invitation.expired' : 'invitation.expires', { date: formatDate(expiresAt) })}
    </Text>
  );
}

function ScopesPanel() {
  const { t } = useTranslation('admin');
  const scopes = useScopes();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [creating, { open, close }] = useDisclosure(false);
  const form = useForm({
    initialValues: { name: '', profile: 'small' as Profile, description: '' },
    validate: { name: (v) => (v.trim() ? null : t('scopes.form.nameRequired')) },
  });
  const createScope = form.onSubmit(async (v) => {
    try {
      const body: CreateScopeInput = { ...v, name: v.name.trim() };
      const s = await api.post<Scope, CreateScopeInput>('/api/scopes', body);
      notifySuccess(t('scopes.created', { name: s.name }), t('scopes.createdTitle'));
      form.reset();
      close();
      await qc.invalidateQueries({ queryKey: ['scopes'] });
      void qc.invalidateQueries({ queryKey: ['session'] });
      void navigate(`/s/${s.id}/settings`);
    } catch (e) {
      if (!applyFieldError(form, e)) notifyError(e, t('scopes.notCreated'));
    }
  });
  const list = [...(scopes.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      <Card withBorder radius="md" p={0}>
        <Group p="md" justify="space-between">
          <Text size="sm" c="dimmed">
            {t('scopes.intro')}
          </Text>
          <Button leftSection={<IconPlus size={16} />} onClick={open} data-testid="new-scope">
            {t('scopes.new')}
          </Button>
        </Group>
        {scopes.error ? (
          <ListError error={scopes.error} />
        ) : scopes.isPending ? (
          <TableSkeleton rows={3} />
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="scopes-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('scopes.columns.scope')}</Table.Th>
                  <Table.Th>{t('scopes.columns.profile')}</Table.Th>
                  <Table.Th>{t('scopes.columns.assets')}</Table.Th>
                  <Table.Th>{t('scopes.columns.yourRole')}</Table.Th>
                  <Table.Th>{t('scopes.columns.created')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((s) => (
                  <Table.Tr key={s.id} data-testid="scope-row">
                    <Table.Td>
                      <Anchor component={Link} to={`/s/${s.id}/assets`} size="sm" fw={500}>
                        {s.name}
                      </Anchor>
                      {s.description && (
                        <Text size="xs" c="dimmed" lineClamp={1} maw={360}>
                          {s.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{profileLabels[s.profile]}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{s.assetCount}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color="gray">
                        {roleLabels[s.role]}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDate(s.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Button component={Link} to={`/s/${s.id}/settings`} variant="subtle" size="compact-sm">
                        {t('scopes.settings')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <Modal
        opened={creating}
        onClose={close}
        title={<Text fw={600}>{t('scopes.form.title')}</Text>}
        size="lg"
        data-testid="new-scope-modal"
      >
        <form onSubmit={createScope} noValidate>
          <Stack>
            <TextInput
              label={t('scopes.form.name')}
              name="newScopeName"
              description={t('scopes.form.nameHint')}
              withAsterisk
              data-autofocus
              maxLength={scopeLimits.name}
              {...form.getInputProps('name')}
            />
            <ProfilePicker value={form.values.profile} onChange={(p) => form.setFieldValue('profile', p)} error={form.errors.profile} />
            <Textarea
              label={t('scopes.form.description')}
              name="newScopeDescription"
              description={t('scopes.form.descriptionHint')}
              autosize
              minRows={2}
              maxLength={scopeLimits.description}
              {...form.getInputProps('description')}
            />
            <Text size="xs" c="dimmed">
              {t('scopes.form.youManage')}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('scopes.form.cancel')}
              </Button>
              <Button type="submit" loading={form.submitting}>
                {t('scopes.form.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
