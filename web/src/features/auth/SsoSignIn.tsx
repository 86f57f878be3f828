import { Alert, Button, Divider } from '@mantine/core';
import { IconAlertTriangle, IconKey } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { SignInProviders } from '../../../../server/src/auth/oidc.schemas.ts';
import { api } from '../../app/api.ts';

const reasons = ['unavailable', 'expired', 'failed', 'cancelled', 'notConfigured', 'noEmail', 'unverified', 'disabled'];

/**
 * Single sign-on on the sign-in page: "Sign in with <provider>" when the installation has an OpenID provider, and why
 * the last attempt did not complete (the server's callback redirects here with `?sso=<reason>`).
 */
export function SsoSignIn({ next }: { next: string }) {
  const { t } = useTranslation('sso');
  const [params] = useSearchParams();
  const providers = useQuery({
    queryKey: ['sign-in-providers'],
    queryFn: () => api.get<SignInProviders>('/api/auth/providers'),
    staleTime: Infinity,
  });
  const sso = providers.data?.sso;
  const reason = params.get('sso');
  const name = sso?.name ?? t('provider');
  return (
    <>
      {reason && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={t('failedTitle')} data-testid="sso-error">
          {t(`reason.${reasons.includes(reason) ? reason : 'failed'}`, { name })}
        </Alert>
      )}
      {sso && (
        <>
          <Button
            component="a"
            href={`${sso.startUrl}?returnTo=${encodeURIComponent(next)}`}
            leftSection={<IconKey size={18} />}
            fullWidth
            data-testid="login-sso"
          >
            {t('signInWith', { name: sso.name })}
          </Button>
          <Divider label={t('orPassword')} labelPosition="center" />
        </>
      )}
    </>
  );
}
