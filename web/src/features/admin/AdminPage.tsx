import {
  Badge,
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  Pagination,
  PasswordInput,
  Radio,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { ApiError, api, type Page } from '../../app/api.ts';
import { formatDate } from '../../app/labels.ts';
import { useSession } from '../../app/session.ts';
import type { Scope, User } from '../../app/types.ts';
import { ErrorAlert, notifyError, notifySuccess, PageHeader } from '../../app/ui.tsx';

const PAGE_SIZE = 25;

/** Installation administration: user accounts and scopes. */
export function AdminPage() {
  const session = useSession().data!;
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 250);
  const [page, setPage] = useState(1);
  const users = useQuery({
    queryKey: ['users', debouncedQ, page],
    queryFn: () => api.get<Page<User>>('/api/users', { q: debouncedQ, page, pageSize: PAGE_SIZE }),
    enabled: session.user.isAdmin,
    placeholderData: (p) => p,
  });
  const userForm = useForm({
    initialValues: { email: '', name: '', password: '', isAdmin: false },
    validate: {
      email: (v) => (/^\S+@\S+\.\S+$/.test(v) ? null : 'Enter an email address'),
      name: (v) => (v.trim() ? null : 'name is required'),
      password: (v) => (v.length >= 12 ? null : 'Use at least 12 characters'),
    },
  });
  const scopeForm = useForm({
    initialValues: { name: '', profile: 'small', description: '' },
    validate: { name: (v) => (v.trim() ? null : 'name is required') },
  });
  if (!session.user.isAdmin) return <Navigate to="/" replace />;

  const createUser = userForm.onSubmit(async (v) => {
    try {
      const u = await api.post<User>('/api/users', v);
      notifySuccess(`${u.email} created`);
      userForm.reset();
      void qc.invalidateQueries({ queryKey: ['users'] });
    } catch (e) {
      if (e instanceof ApiError && e.formField) userForm.setFieldError(e.formField, e.message.replace(/^[\w.]+: /, ''));
      else notifyError(e);
    }
  });
  const createScope = scopeForm.onSubmit(async (v) => {
    try {
      const s = await api.post<Scope>('/api/scopes', v);
      notifySuccess(`Scope ${s.name} created`);
      void qc.invalidateQueries({ queryKey: ['scopes'] });
      void qc.invalidateQueries({ queryKey: ['session'] });
      void navigate(`/s/${s.id}/settings`);
    } catch (e) {
      notifyError(e);
    }
  });
  const toggle = async (u: User) => {
    try {
      await api.patch(`/api/users/${u.id}`, { version: u.version, status: u.status === 'disabled' ? 'active' : 'disabled' });
      notifySuccess(`${u.email} ${u.status === 'disabled' ? 'enabled' : 'disabled'}`);
    } catch (e) {
      notifyError(e);
    }
    void qc.invalidateQueries({ queryKey: ['users'] });
  };

  return (
    <>
      <PageHeader title="Administration" description="User accounts of this installation and its ISMS scopes." />
      <Grid>
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Card withBorder radius="md" p={0}>
            <Group p="md" justify="space-between">
              <Title order={4}>Users</Title>
              <TextInput
                placeholder="Search users"
                leftSection={<IconSearch size={16} />}
                value={q}
                onChange={(e) => {
                  setQ(e.currentTarget.value);
                  setPage(1);
                }}
              />
            </Group>
            <ErrorAlert error={users.error} />
            <Table.ScrollContainer minWidth={600}>
              <Table verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Created</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {users.data?.items.map((u) => (
                    <Table.Tr key={u.id}>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {u.name} {u.isAdmin && <Badge size="xs">admin</Badge>}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {u.email}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={u.status === 'active' ? 'green' : u.status === 'invited' ? 'blue' : 'gray'}>
                          {u.status}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDate(u.createdAt)}</Text>
                      </Table.Td>
                      <Table.Td>
                        {u.id !== session.user.id && u.status !== 'invited' && (
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            color={u.status === 'disabled' ? 'green' : 'red'}
                            onClick={() => toggle(u)}
                          >
                            {u.status === 'disabled' ? 'Enable' : 'Disable'}
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {users.data && users.data.total > PAGE_SIZE && (
              <Group justify="center" p="md">
                <Pagination total={Math.ceil(users.data.total / PAGE_SIZE)} value={page} onChange={setPage} />
              </Group>
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack>
            <Card withBorder radius="md">
              <form onSubmit={createUser} noValidate>
                <Stack>
                  <Title order={4}>New user</Title>
                  <TextInput label="Name" {...userForm.getInputProps('name')} />
                  <TextInput label="Email" {...userForm.getInputProps('email')} />
                  <PasswordInput label="Initial password" description="At least 12 characters" {...userForm.getInputProps('password')} />
                  <Checkbox label="Installation administrator" {...userForm.getInputProps('isAdmin', { type: 'checkbox' })} />
                  <Button type="submit" loading={userForm.submitting}>
                    Create user
                  </Button>
                </Stack>
              </form>
            </Card>
            <Card withBorder radius="md">
              <form onSubmit={createScope} noValidate>
                <Stack>
                  <Title order={4}>New scope</Title>
                  <TextInput
                    label="Name"
                    description="A business unit, or a client of a consultancy"
                    {...scopeForm.getInputProps('name')}
                  />
                  <Radio.Group label="Profile" {...scopeForm.getInputProps('profile')}>
                    <Group mt={6}>
                      <Radio value="small" label="Small" />
                      <Radio value="large" label="Large" />
                    </Group>
                  </Radio.Group>
                  <Button type="submit" variant="light" loading={scopeForm.submitting}>
                    Create scope
                  </Button>
                </Stack>
              </form>
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
