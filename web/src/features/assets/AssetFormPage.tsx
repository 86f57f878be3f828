import {
  Card,
  Grid,
  Group,
  Input,
  MultiSelect,
  SegmentedControl,
  Select,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ConflictDialog, UnsavedChangesDialog } from '../../app/ConflictDialog.tsx';
import { FormActions, FormHeader, textLimits, useLeaveGuard } from '../../app/FormParts.tsx';
import { ApiError, api, type Page } from '../../app/api.ts';
import { assetTypeLabels, lifecycleLabels, options, protectionColors, protectionLabels } from '../../app/labels.ts';
import { useCurrentScope, useMembers } from '../../app/session.ts';
import type { Asset, AssetDetail, CreateAssetInput, ProtectionLevel, UpdateAssetInput } from '../../app/types.ts';
import { applyFieldError, ErrorAlert, notifySuccess, PageLoader } from '../../app/ui.tsx';
import { createAssetBody } from '../../../../server/src/processes/asset-management/asset.schemas.ts';

const limits = textLimits(createAssetBody.shape);

type Values = {
  name: string;
  type: Asset['type'];
  ownerId: string | null;
  description: string;
  lifecycleStatus: Asset['lifecycleStatus'];
  confidentiality: ProtectionLevel;
  integrity: ProtectionLevel;
  availability: ProtectionLevel;
  tags: string[];
  dependsOn: string[];
};
type Field = keyof Values;

const fromAsset = (a: AssetDetail): Values => ({
  name: a.name,
  type: a.type,
  ownerId: a.owner?.id ?? null,
  description: a.description,
  lifecycleStatus: a.lifecycleStatus,
  confidentiality: a.confidentiality,
  integrity: a.integrity,
  availability: a.availability,
  tags: a.tags,
  dependsOn: a.dependsOn.map((d) => d.id),
});

const empty: Values = {
  name: '',
  type: 'system',
  ownerId: null,
  description: '',
  lifecycleStatus: 'in_operation',
  confidentiality: 'normal',
  integrity: 'normal',
  availability: 'normal',
  tags: [],
  dependsOn: [],
};
const fields = Object.keys(empty) as Field[];
const protectionData = options(protectionLabels);
const ciaOf = (t: TFunction<'assets'>) =>
  [
    ['confidentiality', t('form.cia.confidentiality'), t('form.ciaHint.confidentiality')],
    ['integrity', t('form.cia.integrity'), t('form.ciaHint.integrity')],
    ['availability', t('form.cia.availability'), t('form.ciaHint.availability')],
  ] as const;

/** Create or edit an asset. A stale edit (409) shows what another user changed and lets the user reload or overwrite. */
export function AssetFormPage() {
  const { t } = useTranslation('assets');
  const cia = ciaOf(t);
  const { id } = useParams();
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const navigate = useNavigate();
  const qc = useQueryClient();
  const editing = !!id;
  const asset = useQuery({
    queryKey: ['asset', scopeId, id],
    queryFn: () => api.get<AssetDetail>(`/api/scopes/${scopeId}/assets/${id}`),
    enabled: editing,
  });
  const members = useMembers(scopeId);
  const [conflict, setConflict] = useState<AssetDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [depSearch, setDepSearch] = useState('');
  const [debouncedDep] = useDebouncedValue(depSearch.trim(), 250);
  /** labels of every asset seen, so chosen dependencies keep their names while the search changes */
  const [known, setKnown] = useState<Map<string, string>>(new Map());
  const candidates = useQuery({
    queryKey: ['asset-candidates', scopeId, debouncedDep],
    queryFn: () => api.get<Page<Asset>>(`/api/scopes/${scopeId}/assets`, { q: debouncedDep, pageSize: 50, sort: 'name' }),
    placeholderData: (p) => p,
  });

  const form = useForm<Values>({
    initialValues: empty,
    validate: {
      name: (v) => (v.trim() ? null : t('form.nameRequired')),
      tags: (v) => (v.some((t) => t.length > 50) ? t('form.tagTooLong') : v.length > 30 ? t('form.tooManyTags') : null),
    },
  });
  const load = (a: AssetDetail) => {
    form.setValues(fromAsset(a));
    form.resetDirty(fromAsset(a));
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: load the record when it arrives, never over the user's edits
  useEffect(() => {
    if (asset.data && !form.isDirty()) load(asset.data);
  }, [asset.data]);
  useEffect(() => {
    const items = [...(asset.data?.dependsOn ?? []), ...(candidates.data?.items ?? [])];
    if (items.length === 0) return;
    setKnown((prev) => {
      const next = new Map(prev);
      for (const a of items) next.set(a.id, `${a.reference} · ${a.name}`);
      return next.size === prev.size ? prev : next;
    });
  }, [asset.data, candidates.data]);

  const dirty = form.isDirty();
  const { blocker, leaving } = useLeaveGuard(dirty);

  const base = asset.data;
  const save = async (values: Values, version?: number) => {
    setError(null);
    try {
      let saved: AssetDetail;
      if (editing && base) {
        const changed = Object.fromEntries(fields.filter((k) => form.isDirty(k)).map((k) => [k, values[k]])) as Partial<Values>;
        if (changed.name !== undefined) changed.name = changed.name.trim();
        const body: UpdateAssetInput = { ...changed, version: version ?? base.version };
        saved = await api.patch<AssetDetail, UpdateAssetInput>(`/api/scopes/${scopeId}/assets/${id}`, body);
      } else {
        const body: CreateAssetInput = { ...values, name: values.name.trim() };
        saved = await api.post<AssetDetail, CreateAssetInput>(`/api/scopes/${scopeId}/assets`, body);
      }
      void qc.invalidateQueries({ queryKey: ['assets', scopeId] });
      void qc.invalidateQueries({ queryKey: ['asset-candidates', scopeId] });
      void qc.invalidateQueries({ queryKey: ['audit', scopeId] });
      void qc.invalidateQueries({ queryKey: ['my-tasks'] });
      void qc.invalidateQueries({ queryKey: ['tasks', scopeId] });
      for (const d of [...(base?.dependsOn ?? []), ...saved.dependsOn]) void qc.invalidateQueries({ queryKey: ['asset', scopeId, d.id] });
      qc.setQueryData(['asset', scopeId, saved.id], saved);
      notifySuccess(
        editing ? t('form.saved', { reference: saved.reference }) : t('form.created', { reference: saved.reference, name: saved.name }),
      );
      leaving.current = true;
      void navigate(`/s/${scopeId}/assets/${saved.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict' && e.details?.current) setConflict(e.details.current as AssetDetail);
      else if (!applyFieldError(form, e)) setError(e);
    }
  };

  if (editing && asset.isPending) return <PageLoader />;
  if (editing && asset.error) return <ErrorAlert error={asset.error} />;

  const ownerData = (members.data ?? [])
    .filter((m) => m.status !== 'disabled' || m.userId === base?.owner?.id)
    .map((m) => ({ value: m.userId, label: m.name, email: m.email }));
  if (base?.owner && !ownerData.some((o) => o.value === base.owner?.id))
    ownerData.push({ value: base.owner.id, label: base.owner.name, email: base.owner.email });
  const depIds = new Set([...(candidates.data?.items ?? []).map((a) => a.id), ...form.values.dependsOn]);
  const depData = [...depIds].filter((v) => v !== id).map((value) => ({ value, label: known.get(value) ?? value }));

  // the conflict dialog: which fields another user changed, readable
  const ownerName = (v: string | null) =>
    v ? (ownerData.find((o) => o.value === v)?.label ?? conflict?.owner?.name ?? t('form.anotherUser')) : t('list.noOwner');
  const refs = new Map([...(base?.dependsOn ?? []), ...(conflict?.dependsOn ?? [])].map((d) => [d.id, d.reference]));
  const depNames = (ids: string[]) => ids.map((d) => refs.get(d) ?? known.get(d)?.split(' · ')[0] ?? d).join(', ') || t('form.none');
  const show = (k: Field, v: Values[Field]): string => {
    if (k === 'ownerId') return ownerName(v as string | null);
    if (k === 'dependsOn') return depNames(v as string[]);
    if (k === 'tags') return (v as string[]).join(', ') || t('form.none');
    if (k === 'type') return assetTypeLabels[v as Asset['type']];
    if (k === 'lifecycleStatus') return lifecycleLabels[v as Asset['lifecycleStatus']];
    if (k === 'confidentiality' || k === 'integrity' || k === 'availability') return protectionLabels[v as ProtectionLevel];
    return (v as string) || t('form.empty');
  };

  const title = editing ? t('form.editTitle', { name: base?.name ?? '' }) : t('list.new');
  return (
    <>
      <FormHeader
        title={title}
        listLabel={t('list.title')}
        listTo={`/s/${scopeId}/assets`}
        record={editing ? base : undefined}
        newDescription={t('form.newDescription', { scope: scope.name })}
      />
      <form onSubmit={form.onSubmit((v) => save(v))} noValidate data-testid="asset-form">
        <Stack>
          <ErrorAlert error={error} title={t('common:errors.notSaved')} />
          <Card withBorder radius="md" p="lg">
            <Title order={5} mb="md">
              {t('form.theAsset')}
            </Title>
            <Grid>
              <Grid.Col span={{ base: 12, md: 8 }}>
                <TextInput
                  label={t('list.col.name')}
                  name="name"
                  withAsterisk
                  placeholder={t('form.namePlaceholder')}
                  data-autofocus
                  maxLength={limits.name}
                  {...form.getInputProps('name')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>
                <Select
                  label={t('list.col.type')}
                  name="type"
                  allowDeselect={false}
                  data={options(assetTypeLabels)}
                  {...form.getInputProps('type')}
                  data-testid="asset-type"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 8 }}>
                <Select
                  label={t('list.col.owner')}
                  name="ownerId"
                  description={t('form.ownerHint')}
                  placeholder={t('form.noOwnerYet')}
                  clearable
                  searchable
                  nothingFoundMessage={t('form.noMember')}
                  data={ownerData}
                  renderOption={({ option }) => (
                    <div>
                      <Text size="sm">{option.label}</Text>
                      <Text size="xs" c="dimmed">
                        {ownerData.find((o) => o.value === option.value)?.email}
                      </Text>
                    </div>
                  )}
                  {...form.getInputProps('ownerId')}
                  data-testid="asset-owner"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>
                <Select
                  label={t('form.lifecycle')}
                  name="lifecycleStatus"
                  description={t('form.lifecycleHint')}
                  allowDeselect={false}
                  data={options(lifecycleLabels)}
                  {...form.getInputProps('lifecycleStatus')}
                  data-testid="asset-lifecycle"
                />
              </Grid.Col>
              <Grid.Col span={12}>
                <Textarea
                  label={t('form.description')}
                  name="description"
                  placeholder={t('form.descriptionPlaceholder')}
                  autosize
                  minRows={3}
                  maxRows={12}
                  maxLength={limits.description}
                  {...form.getInputProps('description')}
                />
              </Grid.Col>
            </Grid>
          </Card>
          <Card withBorder radius="md" p="lg">
            <Input.Wrapper label={<Title order={5}>{t('form.protectionNeeds')}</Title>} description={t('form.protectionHint')}>
              <Grid mt="sm">
                {cia.map(([c, label, hint]) => (
                  <Grid.Col span={{ base: 12, md: 4 }} key={c}>
                    <Group gap={6} mb={4}>
                      <Text size="sm" fw={500}>
                        {label}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {hint}
                      </Text>
                    </Group>
                    <SegmentedControl
                      fullWidth
                      data={protectionData}
                      color={form.values[c] === 'normal' ? undefined : protectionColors[form.values[c]]}
                      data-testid={`protection-${c}`}
                      aria-label={label}
                      {...form.getInputProps(c)}
                    />
                  </Grid.Col>
                ))}
              </Grid>
            </Input.Wrapper>
          </Card>
          <Card withBorder radius="md" p="lg">
            <Title order={5} mb="md">
              {t('form.tagsAndDeps')}
            </Title>
            <Stack>
              <TagsInput
                label={t('form.tags')}
                name="tags"
                description={t('form.tagsHint')}
                placeholder={t('form.tagsPlaceholder')}
                clearable
                splitChars={[',', ' ']}
                maxLength={limits.tags}
                {...form.getInputProps('tags')}
                data-testid="asset-tags"
              />
              <MultiSelect
                label={t('form.dependsOn')}
                description={t('form.dependsOnHint')}
                placeholder={form.values.dependsOn.length ? undefined : t('form.searchAssets')}
                searchable
                clearable
                searchValue={depSearch}
                onSearchChange={setDepSearch}
                data={depData}
                filter={({ options: o }) => o}
                nothingFoundMessage={candidates.isFetching ? t('form.searching') : t('form.noAsset')}
                hidePickedOptions
                maxValues={200}
                {...form.getInputProps('dependsOn')}
                data-testid="asset-depends-on"
              />
            </Stack>
          </Card>
          <FormActions
            onCancel={() => navigate(editing ? `/s/${scopeId}/assets/${id}` : `/s/${scopeId}/assets`)}
            saving={form.submitting}
            data-testid="save-asset"
          >
            {t('form.save')}
          </FormActions>
        </Stack>
      </form>

      <ConflictDialog
        conflict={conflict}
        noun={t('form.noun')}
        reference={base?.reference}
        fields={fields}
        original={base ? fromAsset(base) : empty}
        theirs={conflict ? fromAsset(conflict) : empty}
        mine={form.values}
        isDirty={(k) => form.isDirty(k)}
        show={show}
        onClose={() => setConflict(null)}
        onReload={() => {
          const current = conflict;
          setConflict(null);
          if (current) {
            load(current);
            qc.setQueryData(['asset', scopeId, id], current);
          }
        }}
        onOverwrite={() => {
          const version = conflict?.version;
          setConflict(null);
          void save(form.getValues(), version);
        }}
      />
      <UnsavedChangesDialog blocker={blocker} noun={t('form.noun')} />
    </>
  );
}
