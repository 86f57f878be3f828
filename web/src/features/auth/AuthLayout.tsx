import { Box, Center, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Logo } from '../../app/Loaders.tsx';

/** The centred card of the pages used before logging in: setup, login, invitation. */
export function AuthLayout({ children, width = 440, testId }: { children: ReactNode; width?: number; testId?: string }) {
  const { t } = useTranslation('auth');
  return (
    <Box
      mih="100vh"
      style={{ background: 'linear-gradient(160deg, var(--mantine-color-praxis-0) 0%, var(--mantine-color-gray-0) 45%)' }}
      data-testid={testId}
    >
      <Center mih="100vh" p="md">
        <Stack w="100%" maw={width} gap="md">
          <Center>
            <Logo />
          </Center>
          <Paper withBorder shadow="sm" p={{ base: 'lg', sm: 'xl' }} radius="lg">
            {children}
          </Paper>
          <Text size="xs" c="dimmed" ta="center">
            {t('layout.tagline')}
          </Text>
        </Stack>
      </Center>
    </Box>
  );
}
