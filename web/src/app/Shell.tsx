import {
  AppShell,
  Avatar,
  Badge,
  Box,
  Burger,
  Divider,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Select,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconHome, IconLogout, IconShieldCog, IconUserCircle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { Link, matchPath, Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { navGroups, navSections } from '../features/registry.tsx';
import { LocalisedDates } from '../i18n/LocalisedDates.tsx';
import { api, type Page } from './api.ts';
import { roleLabels } from './labels.ts';
import { canRole, lastScope, rememberScope, scopeHome, useCurrentSession, useScopes, useSetSession } from './session.ts';
import type { MyTrainings } from '../features/my-isms/my-types.ts';
import type { Task } from './types.ts';
import { Logo, notifyError } from './ui.tsx';

/** Scope pages by section, with the permission each needs: drawn from the web module registry. */
const sections = navSections.map((s) => ({
  key: s.section,
  label: `${s.ns}:navigation.section.${s.section}`,
  group: s.group,
  icon: <s.icon size={18} stroke={1.6} />,
  permission: s.permission,
}));

export function Shell() {
  const { t } = useTranslation('nav');
  const [opened, { toggle, close }] = useDisclosure();
  const session = useCurrentSession();
  const scopes = useScopes();
  const location = useLocation();
  const navigate = useNavigate();
  const setSession = useSetSession();
  const list = scopes.data ?? [];
  const urlScopeId = matchPath('/s/:scopeId/*', location.pathname)?.params.scopeId;
  const [remembered, setRemembered] = useState(lastScope);
  useEffect(() => {
    if (urlScopeId) setRemembered(urlScopeId);
  }, [urlScopeId]);
  const scopeId = urlScopeId ?? (list.some((s) => s.id === remembered) ? remembered : list[0]?.id);
  const scope = list.find((s) => s.id === scopeId);
  const myOpen = useQuery({
    queryKey: ['my-tasks', 'count'],
    queryFn: () => api.get<Page<Task>>('/api/me/tasks', { status: 'active', pageSize: 1 }),
    staleTime: 30_000,
  });
  // policies to acknowledge and trainings to complete are open work too (prefixes the My work page invalidates)
  const myAcks = useQuery({
    queryKey: ['my-acknowledgements', 'count'],
    queryFn: () => api.get<Page<unknown>>('/api/me/acknowledgements', { pageSize: 1 }),
    staleTime: 30_000,
  });
  const myTrainings = useQuery({
    queryKey: ['my-trainings'],
    queryFn: () => api.get<MyTrainings>('/api/me/trainings'),
    staleTime: 30_000,
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: close the mobile menu on navigation
  useEffect(() => close(), [location.pathname]);

  const logout = async () => {
    try {
      await api.post('/api/auth/logout');
    } catch (e) {
      notifyError(e, 'Could not log out cleanly');
    }
    setSession(null);
    void navigate('/login', { replace: true });
  };

  const switchScope = (id: string | null) => {
    const target = list.find((s) => s.id === id);
    if (!target) return;
    rememberScope(target.id);
    setRemembered(target.id);
    const current = location.pathname.match(/^\/s\/[^/]+\/([^/]+)/)?.[1];
    const section = sections.find((s) => s.key === current);
    if (section && canRole(target.role, section.permission)) void navigate(`/s/${target.id}/${section.key}`);
    else if (urlScopeId || location.pathname === '/') void navigate(scopeHome(target));
  };

  const isActive = (to: string) =>
    to === '/' ? location.pathname === '/' : location.pathname === to || location.pathname.startsWith(`${to}/`);
  const link = (to: string, label: string, icon: ReactNode, testId: string, right?: ReactNode) => (
    <NavLink
      key={to}
      component={Link}
      to={to}
      label={label}
      leftSection={icon}
      rightSection={right}
      active={isActive(to)}
      data-testid={testId}
      styles={{ root: { borderRadius: 8, paddingTop: 5, paddingBottom: 5 }, label: { fontWeight: 500 } }}
    />
  );
  const openCount = (myOpen.data?.total ?? 0) + (myAcks.data?.total ?? 0) + (myTrainings.data?.items.length ?? 0);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'sm', sm: 'lg' }}
    >
      <AppShell.Header>
        <Group h="100%" px={{ base: 'xs', sm: 'md' }} justify="space-between" wrap="nowrap" gap="xs">
          <Group wrap="nowrap" gap="sm" style={{ minWidth: 0 }}>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? t('shell.closeMenu') : t('shell.openMenu')}
              data-testid="nav-burger"
            />
            <Link to="/" style={{ textDecoration: 'none' }} aria-label={t('shell.home')}>
              <Box visibleFrom="xs">
                <Logo />
              </Box>
              <Box hiddenFrom="xs">
                <Logo withText={false} />
              </Box>
            </Link>
            {list.length > 0 && (
              <Select
                aria-label={t('shell.scope')}
                data-testid="scope-switcher"
                w={{ base: 160, xs: 200, sm: 260 }}
                value={scopeId ?? null}
                data={list.map((s) => ({ value: s.id, label: s.name }))}
                allowDeselect={false}
                searchable={list.length > 6}
                comboboxProps={{ width: 300, position: 'bottom-start' }}
                renderOption={({ option }) => {
                  const s = list.find((x) => x.id === option.value);
                  return (
                    <Group justify="space-between" wrap="nowrap" w="100%">
                      <Text size="sm" truncate>
                        {option.label}
                      </Text>
                      {s && (
                        <Badge size="xs" variant="light" color="gray">
                          {roleLabels[s.role]}
                        </Badge>
                      )}
                    </Group>
                  );
                }}
                onChange={switchScope}
              />
            )}
          </Group>
          <Menu position="bottom-end" width={240} shadow="md">
            <Menu.Target>
              <UnstyledButton data-testid="user-menu" aria-label={t('shell.userMenu')} style={{ borderRadius: 8 }} p={4}>
                <Group gap={8} wrap="nowrap">
                  <Avatar size={30} color="praxis" radius="xl" variant="filled">
                    {initials(session.user.name)}
                  </Avatar>
                  <Text size="sm" fw={500} visibleFrom="sm" maw={180} truncate>
                    {session.user.name}
                  </Text>
                  <IconChevronDown size={14} />
                </Group>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>
                <Text size="sm" fw={600} c="dark" truncate>
                  {session.user.name}
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  {session.user.email}
                </Text>
              </Menu.Label>
              <Menu.Divider />
              <Menu.Item leftSection={<IconUserCircle size={16} />} component={Link} to="/account" data-testid="menu-account">
                {t('shell.accountAndTokens')}
              </Menu.Item>
              {session.user.isAdmin && (
                <Menu.Item leftSection={<IconShieldCog size={16} />} component={Link} to="/admin" data-testid="menu-admin">
                  {t('shell.administration')}
                </Menu.Item>
              )}
              <Menu.Divider />
              <Menu.Item leftSection={<IconLogout size={16} />} onClick={logout} color="red" data-testid="menu-logout">
                {t('shell.logOut')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" data-testid="navbar">
        <AppShell.Section grow component={ScrollArea}>
          {link(
            '/',
            t('shell.myWork'),
            <IconHome size={18} stroke={1.6} />,
            'nav-my-work',
            openCount > 0 ? (
              <Badge size="sm" variant="light" circle={openCount < 10}>
                {openCount}
              </Badge>
            ) : undefined,
          )}
          {scope && sections.some((s) => canRole(scope.role, s.permission)) && (
            <>
              <Group justify="space-between" mt="lg" mb={6} px="sm" wrap="nowrap" gap={6}>
                <Text size="xs" c="dimmed" tt="uppercase" fw={700} truncate style={{ letterSpacing: 0.4 }}>
                  {scope.name}
                </Text>
                <Badge size="xs" variant="outline" color="gray" style={{ flexShrink: 0 }}>
                  {roleLabels[scope.role]}
                </Badge>
              </Group>
              {navGroups.map((group) => {
                const visible = sections.filter((s) => s.group === group && canRole(scope.role, s.permission));
                if (visible.length === 0) return null;
                return (
                  <Box key={group} mb={4}>
                    {group !== 'overview' && (
                      <Text size="xs" c="dimmed" fw={600} px="sm" mt={8} mb={2} data-testid={`nav-group-${group}`}>
                        {t(`group.${group}`)}
                      </Text>
                    )}
                    {visible.map((s) => link(`/s/${scope.id}/${s.key}`, t(s.label), s.icon, `nav-${s.key}`))}
                  </Box>
                );
              })}
            </>
          )}
        </AppShell.Section>
        <AppShell.Section>
          <Divider mb="xs" />
          {link('/account', t('shell.account'), <IconUserCircle size={18} stroke={1.6} />, 'nav-account')}
          {session.user.isAdmin && link('/admin', t('shell.administration'), <IconShieldCog size={18} stroke={1.6} />, 'nav-admin')}
          <Text size="xs" c="dimmed" px="sm" mt="xs">
            {t('shell.footer')}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">
        <Box maw={1440} mx="auto">
          {/* the date inputs and calendars of every page in the shell, in the current language */}
          <LocalisedDates>
            <Outlet />
          </LocalisedDates>
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? `${parts[0]![0]}${parts[parts.length - 1]![0]}` : (parts[0]?.slice(0, 2) ?? '?');
  return letters.toUpperCase();
}
