import { AppShell, Avatar, Burger, Group, Menu, NavLink, ScrollArea, Select, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconBox,
  IconChecklist,
  IconChevronDown,
  IconHistory,
  IconHome,
  IconKey,
  IconLogout,
  IconSettings,
  IconShieldCog,
  IconSitemap,
} from '@tabler/icons-react';
import { useEffect } from 'react';
import { Link, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { api } from './api.ts';
import { roleLabels } from './labels.ts';
import { lastScope, rememberScope, useCan, useScopes, useSession, useSetSession } from './session.ts';

export function Logo() {
  return (
    <Group gap={8} wrap="nowrap">
      <img src="/favicon.svg" width={28} height={28} alt="" />
      <Text fw={700} size="lg" c="praxis.8">
        Praxis
      </Text>
    </Group>
  );
}

export function Shell() {
  const [opened, { toggle, close }] = useDisclosure();
  const session = useSession().data!;
  const scopes = useScopes();
  const params = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const setSession = useSetSession();
  const list = scopes.data ?? [];
  const scopeId = params.scopeId ?? (list.some((s) => s.id === lastScope()) ? lastScope()! : list[0]?.id);
  const scope = list.find((s) => s.id === scopeId);
  const can = useCan(scope);

  useEffect(() => {
    if (params.scopeId) rememberScope(params.scopeId);
  }, [params.scopeId]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the mobile menu closes whenever the page changes
  useEffect(close, [location.pathname]);

  const logout = async () => {
    await api.post('/api/auth/logout').catch(() => undefined);
    setSession(null);
    void navigate('/login');
  };

  const link = (to: string, label: string, icon: React.ReactNode, testId: string) => (
    <NavLink
      component={Link}
      to={to}
      label={label}
      leftSection={icon}
      active={location.pathname === to || (to !== '/' && location.pathname.startsWith(to))}
      data-testid={testId}
    />
  );

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap" gap="md">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Link to="/" style={{ textDecoration: 'none' }}>
              <Logo />
            </Link>
            {list.length > 0 && (
              <Select
                aria-label="Scope"
                data-testid="scope-switcher"
                w={{ base: 150, sm: 260 }}
                value={scopeId ?? null}
                data={list.map((s) => ({ value: s.id, label: s.name }))}
                allowDeselect={false}
                onChange={(id) => {
                  if (!id) return;
                  rememberScope(id);
                  const section = location.pathname.match(/^\/s\/[^/]+\/([^/]+)/)?.[1] ?? 'assets';
                  void navigate(`/s/${id}/${section}`);
                }}
              />
            )}
          </Group>
          <Menu position="bottom-end" width={220}>
            <Menu.Target>
              <UnstyledButton data-testid="user-menu" aria-label="User menu">
                <Group gap={8} wrap="nowrap">
                  <Avatar size="sm" color="praxis" radius="xl">
                    {session.user.name.slice(0, 1).toUpperCase()}
                  </Avatar>
                  <Text size="sm" visibleFrom="sm">
                    {session.user.name}
                  </Text>
                  <IconChevronDown size={14} />
                </Group>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>{session.user.email}</Menu.Label>
              <Menu.Item leftSection={<IconKey size={16} />} component={Link} to="/account">
                Account and API tokens
              </Menu.Item>
              {session.user.isAdmin && (
                <Menu.Item leftSection={<IconShieldCog size={16} />} component={Link} to="/admin">
                  Administration
                </Menu.Item>
              )}
              <Menu.Divider />
              <Menu.Item leftSection={<IconLogout size={16} />} onClick={logout} color="red">
                Log out
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <AppShell.Section grow component={ScrollArea}>
          {link('/', 'My work', <IconHome size={18} />, 'nav-my-work')}
          {scope && (
            <>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600} mt="md" mb={4} px="sm">
                {scope.name} · {roleLabels[scope.role]}
              </Text>
              {can('asset:read') && link(`/s/${scope.id}/assets`, 'Assets', <IconBox size={18} />, 'nav-assets')}
              {can('process:read') && link(`/s/${scope.id}/processes`, 'Process map', <IconSitemap size={18} />, 'nav-processes')}
              {link(`/s/${scope.id}/tasks`, 'Tasks', <IconChecklist size={18} />, 'nav-tasks')}
              {can('audit:read') && link(`/s/${scope.id}/audit`, 'Audit log', <IconHistory size={18} />, 'nav-audit')}
              {can('scope:manage') && link(`/s/${scope.id}/settings`, 'Scope settings', <IconSettings size={18} />, 'nav-settings')}
            </>
          )}
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm">
            Praxis ISMS
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
