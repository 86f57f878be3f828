import { Card, Select, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { browserLanguage, chooseLanguage, chosenLanguage, languageName, supportedLanguages } from '../../i18n/index.ts';

const followBrowser = 'browser';

/**
 * The language of Praxis for this user. The user record has no language field, so the choice is kept in this browser
 * (localStorage); "as the browser" follows the browser's preferred languages. Dates and numbers follow the language.
 */
export function LanguageCard() {
  const { t } = useTranslation('account');
  const data = [
    { value: followBrowser, label: t('language.browser', { language: languageName(browserLanguage()) }) },
    ...supportedLanguages.map((lang) => ({ value: lang, label: languageName(lang) })),
  ];
  return (
    <Card withBorder radius="md" p="lg" data-testid="language-card">
      <Title order={4} mb="sm">
        {t('language.title')}
      </Title>
      <Select
        label={t('language.label')}
        data={data}
        value={chosenLanguage() ?? followBrowser}
        onChange={(value) => chooseLanguage(value === followBrowser || !value ? undefined : value)}
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
      />
      <Text size="xs" c="dimmed" mt="xs">
        {t('language.hint')}
      </Text>
    </Card>
  );
}
