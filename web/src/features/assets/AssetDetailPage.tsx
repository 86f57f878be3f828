import { Anchor, Badge, Button, Card, DataList, Grid, Group, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconArrowRight, IconEdit, IconHistory, IconLink, IconListDetails, IconTrash } from '@tabler/icons-react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { OwnerValue, RecordLoadError, RecordMeta, useUrlTab } from '../../app/DetailParts.tsx';
import { ApiError, api } from '../../app/api.ts';
import { assetTypeLabels, formatDateTime, lifecycleColors, lifecycleLabels } from '../../app/labels.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import type { AssetDetail } from '../../app/types.ts';
import { notifyError, notifySuccess, PageHeader, PageLoader, ProtectionBadge, Ref, useConfirm } from '../../app/ui.tsx';
import { RecordAuditTrail } from '../audit/AuditEntries.tsx';

const cia = ['confidentiality', 'integrity', 'availability'] as const;

export function AssetDetailPage() {
  const { t } = useTranslation('assets');
  const { id = '' } = useParams();
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { confirm, dialog } = useConfirm();
  const asset = useQuery({ queryKey: ['asset', scopeId, id], queryFn: () => api.get<AssetDetail>(`/api/scopes/${scopeId}/assets/${id}`) });
  const tabs = ['overview', 'dependencies', ...(can('audit:read') ? ['audit'] : [])];
  const [tab, setTab] = useUrlTab(tabs);

  if (asset.isPending) return <PageLoader />;
  if (asset.error) {
    return <RecordLoadError title={t('detail.noun')} listLabel={t('list.title')} listTo={`/s/${scopeId}/assets`} error={asset.error} />;
  }
  const a = asset.data;

  const remove = async () => {
    const ok = await confirm({
      title: t('detail.delete.title', { reference: a.reference }),
      message: (
        <>
          {a.dependents.length > 0
            ? t('detail.delete.messageDependents', { name: a.name, count: a.dependents.length })
            : t('detail.delete.message', { name: a.name })}
        </>
      ),
      confirmLabel: t('detail.delete.confirm'),
    });
    if (!ok) return;
    try {
      await api.delete(`/api/scopes/${scopeId}/assets/${id}`, { version: a.version });
      notifySuccess(`${a.reference} “${a.name}” deleted`);
      qc.removeQueries({ queryKey: ['asset', scopeId, id] });
      void qc.invalidateQueries({ queryKey: ['assets', scopeId] });
      void qc.invalidateQueries({ queryKey: ['asset-candidates', scopeId] });
      for (const d of [...a.dependsOn, ...a.dependents]) void qc.invalidateQueries({ queryKey: ['asset', scopeId, d.id] });
      void navigate(`/s/${scopeId}/assets`);
    } catch (e) {
      notifyError(
        e instanceof ApiError && e.code === 'version_conflict' ? new Error(t('detail.delete.conflict')) : e,
        t('detail.delete.notDeleted'),
      );
      void asset.refetch();
    }
  };

  const links = (items: AssetDetail['dependsOn'], empty: string, testId: string) =>
    items.length === 0 ? (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    ) : (
      <Stack gap={6} data-testid={testId}>
        {items.map((d) => (
          <Group key={d.id} gap="xs" wrap="nowrap">
            <Ref>{d.reference}</Ref>
            <Anchor component={Link} to={`/s/${scopeId}/assets/${d.id}`} size="sm" fw={500}>
              {d.name}
            </Anchor>
            <Text size="xs" c="dimmed">
              {assetTypeLabels[d.type]}
            </Text>
          </Group>
        ))}
      </Stack>
    );

  return (
    <>
      {dialog}
      <PageHeader
        documentTitle={`${a.reference} ${a.name}`}
        crumbs={[{ label: t('list.title'), to: `/s/${scopeId}/assets` }, { label: a.reference }]}
        title={a.name}
        description={
          <RecordMeta reference={a.reference} version={a.version} updatedAt={a.updatedAt}>
            <Badge variant="light" color="gray">
              {assetTypeLabels[a.type]}
            </Badge>
            <Badge variant="dot" color={lifecycleColors[a.lifecycleStatus]}>
              {lifecycleLabels[a.lifecycleStatus]}
            </Badge>
          </RecordMeta>
        }
        actions={
          <>
            {can('asset:delete') && (
              <Button
                variant="default"
                color="red"
                c="red.7"
                leftSection={<IconTrash size={16} />}
                onClick={remove}
                data-testid="delete-asset"
              >
                {t('common:actions.delete')}
              </Button>
            )}
            {can('asset:write') && (
              <Button leftSection={<IconEdit size={16} />} component={Link} to={`/s/${scopeId}/assets/${id}/edit`} data-testid="edit-asset">
                {t('detail.edit')}
              </Button>
            )}
          </>
        }
      />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="overview" leftSection={<IconListDetails size={16} />}>
            {t('detail.tab.overview')}
          </Tabs.Tab>
          <Tabs.Tab value="dependencies" leftSection={<IconLink size={16} />}>
            {t('detail.tab.dependencies', { count: a.dependsOn.length + a.dependents.length })}
          </Tabs.Tab>
          {can('audit:read') && (
            <Tabs.Tab value="audit" leftSection={<IconHistory size={16} />}>
              {t('detail.tab.audit')}
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="overview">
          <Grid>
            <Grid.Col span={{ base: 12, md: 8 }}>
              <Stack>
                <Card withBorder radius="md" p="lg">
                  <Title order={5} mb="xs">
                    {t('form.description')}
                  </Title>
                  <Text
                    size="sm"
                    style={{ whiteSpace: 'pre-wrap' }}
                    c={a.description ? undefined : 'dimmed'}
                    data-testid="asset-description"
                  >
                    {a.description || t('detail.noDescription')}
                  </Text>
                  <Title order={5} mt="lg" mb="xs">
                    {t('form.tags')}
                  </Title>
                  <Group gap={6}>
                    {a.tags.length ? (
                      a.tags.map((t) => (
                        <Badge
                          key={t}
                          variant="outline"
                          color="gray"
                          component={Link}
                          to={`/s/${scopeId}/assets?tag=${encodeURIComponent(t)}`}
                          style={{ cursor: 'pointer' }}
                        >
                          {t}
                        </Badge>
                      ))
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('detail.none')}
                      </Text>
                    )}
                  </Group>
                </Card>
                <Card withBorder radius="md" p="lg">
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
                    <div>
                      <Title order={5} mb="xs">
                        {t('form.dependsOn')}
                      </Title>
                      {links(a.dependsOn, t('detail.noOther'), 'depends-on')}
                    </div>
                    <div>
                      <Title order={5} mb="xs">
                        {t('detail.neededBy')}
                      </Title>
                      {links(a.dependents, t('detail.noDependents'), 'dependents')}
                    </div>
                  </SimpleGrid>
                </Card>
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Stack>
                <Card withBorder radius="md" p="lg">
                  <Title order={5} mb="sm">
                    {t('form.protectionNeeds')}
                  </Title>
                  <Stack gap="xs" data-testid="asset-protection">
                    {cia.map((c) => (
                      <Group key={c} justify="space-between">
                        <Text size="sm">{t(`form.cia.${c}`)}</Text>
                        <ProtectionBadge level={a[c]} />
                      </Group>
                    ))}
                  </Stack>
                  <Text size="xs" c="dimmed" mt="sm">
                    {t('detail.bsiHint')}
                  </Text>
                </Card>
                <Card withBorder radius="md" p="lg">
                  <DataList size="sm" labelWidth={90} gap="xs">
                    <DataList.Item>
                      <DataList.ItemLabel>{t('list.col.owner')}</DataList.ItemLabel>
                      <DataList.ItemValue>
                        <OwnerValue owner={a.owner} />
                      </DataList.ItemValue>
                    </DataList.Item>
                    <DataList.Item>
                      <DataList.ItemLabel>{t('detail.reference')}</DataList.ItemLabel>
                      <DataList.ItemValue ff="monospace">{a.reference}</DataList.ItemValue>
                    </DataList.Item>
                    <DataList.Item>
                      <DataList.ItemLabel>{t('detail.created')}</DataList.ItemLabel>
                      <DataList.ItemValue>{formatDateTime(a.createdAt)}</DataList.ItemValue>
                    </DataList.Item>
                    <DataList.Item>
                      <DataList.ItemLabel>{t('list.col.updated')}</DataList.ItemLabel>
                      <DataList.ItemValue>{formatDateTime(a.updatedAt)}</DataList.ItemValue>
                    </DataList.Item>
                  </DataList>
                  {can('audit:read') && (
                    <Button
                      variant="subtle"
                      size="compact-sm"
                      mt="sm"
                      rightSection={<IconArrowRight size={14} />}
                      onClick={() => setTab('audit')}
                    >
                      {t('detail.showAudit')}
                    </Button>
                  )}
                </Card>
              </Stack>
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        <Tabs.Panel value="dependencies">
          <Grid>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Card withBorder radius="md" p="lg" h="100%">
                <Title order={5}>{t('form.dependsOn')}</Title>
                <Text size="xs" c="dimmed" mb="sm">
                  {t('detail.dependsOnHint', { name: a.name })}
                </Text>
                {links(a.dependsOn, t('detail.noDependsOn'), 'depends-on-full')}
              </Card>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Card withBorder radius="md" p="lg" h="100%">
                <Title order={5}>{t('detail.neededBy')}</Title>
                <Text size="xs" c="dimmed" mb="sm">
                  {t('detail.neededByHint', { name: a.name })}
                </Text>
                {links(a.dependents, t('detail.noDependents'), 'dependents-full')}
              </Card>
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        {can('audit:read') && (
          <Tabs.Panel value="audit">
            <RecordAuditTrail scopeId={scopeId} recordType="asset" recordId={a.id} />
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}
