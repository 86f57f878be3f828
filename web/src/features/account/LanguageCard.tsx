import { Card, Select, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isUserLanguage } from '../../../../server/src/users/user-language.ts';
import { useCurrentSession, useSetLanguage } from '../../app/session.ts';
import { notifyError } from '../../app/ui.tsx';
import { browserLanguage, languageName, supportedLanguages } from '../../i18n/index.ts';

const followBrowser = 'browser';

/**
 * The language of Praxis for this user, kept on their account (so every browser they sign in with follows it); "as the
 * browser" follows the browser's preferred languages. Dates and numbers follow the language.
 */
export function LanguageCard() {
  const { t } = useTranslation('account');
  const session = useCurrentSession();
  const setLanguage = useSetLanguage();
  const [saving, setSaving] = useState(false);
  const data = [
    { value: followBrowser, label: t('language.browser', { language: languageName(browserLanguage()) }) },
    ...supportedLanguages.map((lang) => ({ value: lang, label: languageName(lang) })),
  ];
  const choose = async (value: string | null) => {
    const language = isUserLanguage(value) ? value : null;
    if (language === session.user.language) return;
    setSaving(true);
    try {
      await setLanguage(language);
    } catch (e) {
      notifyError(e, t('language.notSaved'));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card withBorder radius="md" p="lg" data-testid="language-card">
      <Title order={4} mb="sm">
        {t('language.title')}
      </Title>
      <Select
        label={t('language.label')}
        data={data}
        value={session.user.language ?? followBrowser}
        onChange={(value) => void choose(value)}
        disabled={saving}
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
      />
      <Text size="xs" c="dimmed" mt="xs">
        {t('language.hint')}
      </Text>
    </Card>
  );
}
