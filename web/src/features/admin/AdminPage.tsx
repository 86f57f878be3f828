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
import { IconBuilding, IconDots, IconPlus, IconSearch, IconShieldCog, IconUserOff, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { ListError } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { formatDate, profileLabels, roleLabels } from '../../app/labels.ts';
import { useCurrentSession, useScopes } from '../../app/session.ts';
import type { CreateScopeInput, CreateUserInput, Profile, Scope, UpdateUserInput, User } from '../../app/types.ts';
import { applyFieldError, notifyError, notifySuccess, PageHeader, TableSkeleton, useConfirm } from '../../app/ui.tsx';
import { ProfilePicker } from '../scopes/ProfilePicker.tsx';

const PAGE_SIZE = 25;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const statusColors: Record<User['status'], string> = { active: 'teal', invited: 'blue', disabled: 'gray' };
const statusLabels: Record<User['status'], string> = { active: 'Active', invited: 'Invited', disabled: 'Disabled' };

/** Installation administration: user accounts and scopes. */
export function AdminPage() {
  const session = useCurrentSession();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'scopes' ? 'scopes' : 'users';
  if (!session.user.isAdmin) return <Navigate to="/" replace />;
  return (
    <>
      <PageHeader title="Administration" description="User accounts and ISMS scopes of this Praxis installation." />
      <Tabs value={tab} onChange={(v) => setParams(v === 'scopes' ? { tab: 'scopes' } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="users" leftSection={<IconUsers size={16} />}>
            Users
          </Tabs.Tab>
          <Tabs.Tab value="scopes" leftSection={<IconBuilding size={16} />}>
            Scopes
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
  const session = useCurrentSession();
  const qc = useQueryClient();
  const { confirm, dialog } = useConfirm();
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const [page, setPage] = useState(1);
  const [creating, { open, close }] = useDisclosure(false);
  const users = useQuery({
    queryKey: ['users', debouncedQ, page],
    queryFn: () => api.get<Page<User>>('/api/users', { q: debouncedQ, page, pageSize: PAGE_SIZE }),
    placeholderData: (p) => p,
  });
  const form = useForm({
    initialValues: { email: '', name: '', password: '', isAdmin: false },
    validate: {
      name: (v) => (v.trim() ? null : 'Enter the name'),
      email: (v) => (emailPattern.test(v.trim()) ? null : 'Enter a valid email address'),
      password: (v) => (v.length >= 12 ? null : 'The password needs at least 12 characters'),
    },
  });
  const createUser = form.onSubmit(async (v) => {
    try {
      const body: CreateUserInput = { ...v, email: v.email.trim(), name: v.name.trim() };
      const u = await api.post<User>('/api/users', body);
      notifySuccess(`${u.name} (${u.email}) can now log in. Add them to a scope in its settings.`, 'User created');
      form.reset();
      close();
      void qc.invalidateQueries({ queryKey: ['users'] });
    } catch (e) {
      if (!applyFieldError(form, e)) notifyError(e, 'User not created');
    }
  });
  const update = async (u: User, patch: Omit<UpdateUserInput, 'version'>, message: string) => {
    try {
      await api.patch<User>(`/api/users/${u.id}`, { version: u.version, ...patch });
      notifySuccess(message);
    } catch (e) {
      notifyError(e);
    }
    void qc.invalidateQueries({ queryKey: ['users'] });
  };
  const toggleStatus = async (u: User) => {
    if (u.status !== 'disabled') {
      const ok = await confirm({
        title: `Disable ${u.name}?`,
        message: `${u.email} can no longer log in, and their API tokens stop working. Their records and audit history stay. You can enable the account again later.`,
        confirmLabel: 'Disable account',
      });
      if (!ok) return;
      await update(u, { status: 'disabled' }, `${u.name} was disabled`);
    } else {
      await update(u, { status: 'active' }, `${u.name} was enabled`);
    }
  };
  const toggleAdmin = async (u: User) => {
    if (!u.isAdmin) {
      const ok = await confirm({
        title: `Make ${u.name} an administrator?`,
        message: 'Administrators manage all users and scopes of this installation and act as manager in every scope.',
        confirmLabel: 'Make administrator',
        color: 'praxis',
      });
      if (!ok) return;
    }
    await update(u, { isAdmin: !u.isAdmin }, u.isAdmin ? `${u.name} is no longer an administrator` : `${u.name} is now an administrator`);
  };

  return (
    <>
      {dialog}
      <Card withBorder radius="md" p={0}>
        <Group p="md" justify="space-between" wrap="wrap" gap="sm">
          <TextInput
            placeholder="Search by name or email"
            aria-label="Search users"
            leftSection={<IconSearch size={16} />}
            rightSection={q ? <CloseButton size="sm" aria-label="Clear search" onClick={() => setQ('')} /> : null}
            value={q}
            onChange={(e) => {
              setQ(e.currentTarget.value);
              setPage(1);
            }}
            w={{ base: '100%', sm: 300 }}
            data-testid="user-search"
          />
          <Button leftSection={<IconUserPlus size={16} />} onClick={open} data-testid="new-user">
            New user
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
            title="No user matches"
            description="Try another part of the name or email address."
          />
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="users-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>User</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Created</Table.Th>
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
                            Administrator
                          </Badge>
                        )}
                        {u.id === session.user.id && (
                          <Badge size="xs" variant="filled">
                            you
                          </Badge>
                        )}
                      </Group>
                      <Text size="xs" c="dimmed">
                        {u.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={statusColors[u.status]}>
                        {statusLabels[u.status]}
                      </Badge>
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
                              aria-label={`Actions for ${u.name}`}
                              data-testid="user-actions"
                            >
                              <IconDots size={16} />
                            </Button>
                          </Menu.Target>
                          <Menu.Dropdown>
                            <Menu.Item leftSection={<IconShieldCog size={16} />} onClick={() => toggleAdmin(u)}>
                              {u.isAdmin ? 'Remove administrator rights' : 'Make administrator'}
                            </Menu.Item>
                            {u.status !== 'invited' && (
                              <Menu.Item
                                leftSection={<IconUserOff size={16} />}
                                color={u.status === 'disabled' ? undefined : 'red'}
                                onClick={() => toggleStatus(u)}
                                data-testid="toggle-user-status"
                              >
                                {u.status === 'disabled' ? 'Enable account' : 'Disable account'}
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
              {users.data.total} user{users.data.total === 1 ? '' : 's'}
            </Text>
            {users.data.total > PAGE_SIZE && (
              <Pagination total={Math.ceil(users.data.total / PAGE_SIZE)} value={page} onChange={setPage} size="sm" />
            )}
          </Group>
        )}
      </Card>
      <Modal opened={creating} onClose={close} title={<Text fw={600}>New user</Text>} data-testid="new-user-modal">
        <form onSubmit={createUser} noValidate>
          <Stack>
            <TextInput label="Name" name="userName" withAsterisk data-autofocus {...form.getInputProps('name')} />
            <TextInput label="Email" name="userEmail" type="email" withAsterisk {...form.getInputProps('email')} />
            <PasswordInput
              label="Initial password"
              name="userPassword"
              description="At least 12 characters. Hand it over securely; the user can change it under Account."
              withAsterisk
              {...form.getInputProps('password')}
            />
            <Checkbox
              label="Administrator of this installation"
              description="Manages all users and scopes"
              {...form.getInputProps('isAdmin', { type: 'checkbox' })}
            />
            <Text size="xs" c="dimmed">
              To give someone access to a scope, invite them from the scope's settings instead: they then choose their own password.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={form.submitting}>
                Create user
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

function ScopesPanel() {
  const scopes = useScopes();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [creating, { open, close }] = useDisclosure(false);
  const form = useForm({
    initialValues: { name: '', profile: 'small' as Profile, description: '' },
    validate: { name: (v) => (v.trim() ? null : 'The scope needs a name') },
  });
  const createScope = form.onSubmit(async (v) => {
    try {
      const body: CreateScopeInput = { ...v, name: v.name.trim() };
      const s = await api.post<Scope>('/api/scopes', body);
      notifySuccess(`${s.name} was created. Invite its members next.`, 'Scope created');
      form.reset();
      close();
      await qc.invalidateQueries({ queryKey: ['scopes'] });
      void qc.invalidateQueries({ queryKey: ['session'] });
      void navigate(`/s/${s.id}/settings`);
    } catch (e) {
      if (!applyFieldError(form, e)) notifyError(e, 'Scope not created');
    }
  });
  const list = [...(scopes.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      <Card withBorder radius="md" p={0}>
        <Group p="md" justify="space-between">
          <Text size="sm" c="dimmed">
            A scope is one ISMS: an organisation, a business unit, or a client of a consultancy. Each has its own registers, processes and
            members.
          </Text>
          <Button leftSection={<IconPlus size={16} />} onClick={open} data-testid="new-scope">
            New scope
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
                  <Table.Th>Scope</Table.Th>
                  <Table.Th>Profile</Table.Th>
                  <Table.Th>Assets</Table.Th>
                  <Table.Th>Your role</Table.Th>
                  <Table.Th>Created</Table.Th>
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
                        Settings
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <Modal opened={creating} onClose={close} title={<Text fw={600}>New scope</Text>} size="lg" data-testid="new-scope-modal">
        <form onSubmit={createScope} noValidate>
          <Stack>
            <TextInput
              label="Name"
              name="newScopeName"
              description="The organisation or part of it that this ISMS covers"
              withAsterisk
              data-autofocus
              {...form.getInputProps('name')}
            />
            <ProfilePicker value={form.values.profile} onChange={(p) => form.setFieldValue('profile', p)} error={form.errors.profile} />
            <Textarea
              label="Description"
              name="newScopeDescription"
              description="Organisation units, locations, services and interfaces covered (ISO/IEC 27001, 4.3)"
              autosize
              minRows={2}
              {...form.getInputProps('description')}
            />
            <Text size="xs" c="dimmed">
              You become its manager and can invite members in the scope settings.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={form.submitting}>
                Create scope
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
