import {
  Button,
  Card,
  Grid,
  Group,
  Input,
  Modal,
  MultiSelect,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Table,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError, api, type Page } from '../../app/api.ts';
import { assetTypeLabels, lifecycleLabels, protectionLabels } from '../../app/labels.ts';
import type { Asset, AssetDetail, Member } from '../../app/types.ts';
import { ErrorAlert, notifySuccess, PageHeader } from '../../app/ui.tsx';

type Values = {
  name: string;
  type: Asset['type'];
  ownerId: string | null;
  description: string;
  lifecycleStatus: Asset['lifecycleStatus'];
  confidentiality: Asset['confidentiality'];
  integrity: Asset['integrity'];
  availability: Asset['availability'];
  tags: string[];
  dependsOn: string[];
};

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

const protectionData = Object.entries(protectionLabels).map(([value, label]) => ({ value, label }));

/** Create or edit an asset. A stale edit (409) shows what someone else changed and lets the user reload or overwrite. */
export function AssetFormPage() {
  const { scopeId, id } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const editing = !!id;
  const asset = useQuery({
    queryKey: ['asset', scopeId, id],
    queryFn: () => api.get<AssetDetail>(`/api/scopes/${scopeId}/assets/${id}`),
    enabled: editing,
  });
  const members = useQuery({ queryKey: ['members', scopeId], queryFn: () => api.get<Member[]>(`/api/scopes/${scopeId}/members`) });
  const [conflict, setConflict] = useState<AssetDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [depSearch, setDepSearch] = useState('');
  const [debouncedDep] = useDebouncedValue(depSearch, 250);
  const candidates = useQuery({
    queryKey: ['asset-candidates', scopeId, debouncedDep],
    queryFn: () => api.get<Page<Asset>>(`/api/scopes/${scopeId}/assets`, { q: debouncedDep, pageSize: 50 }),
  });

  const form = useForm<Values>({
    initialValues: empty,
    validate: { name: (v) => (v.trim() ? null : 'name is required') },
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: the form is reset only when a new version of the asset arrives
  useEffect(() => {
    if (asset.data) {
      form.setValues(fromAsset(asset.data));
      form.resetDirty(fromAsset(asset.data));
    }
  }, [asset.data]);

  const base = asset.data;
  const save = async (values: Values, version?: number) => {
    setError(null);
    try {
      let saved: AssetDetail;
      if (editing && base) {
        const changed = Object.fromEntries(Object.entries(values).filter(([k]) => form.isDirty(k)));
        saved = await api.patch<AssetDetail>(`/api/scopes/${scopeId}/assets/${id}`, { ...changed, version: version ?? base.version });
      } else {
        saved = await api.post<AssetDetail>(`/api/scopes/${scopeId}/assets`, values);
      }
      void qc.invalidateQueries({ queryKey: ['assets', scopeId] });
      qc.setQueryData(['asset', scopeId, saved.id], saved);
      notifySuccess(`${saved.reference} saved`);
      void navigate(`/s/${scopeId}/assets/${saved.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict' && e.details?.current) {
        setConflict(e.details.current as AssetDetail);
      } else if (e instanceof ApiError && e.formField && e.formField.split('.')[0]! in empty) {
        form.setFieldError(e.formField.split('.')[0]!, e.message.replace(/^[\w.]+: /, ''));
      } else {
        setError(e);
      }
    }
  };

  if (editing && asset.isLoading) return <Skeleton h={400} />;
  if (editing && asset.error) return <ErrorAlert error={asset.error} />;

  const ownerData = (members.data ?? []).map((m) => ({ value: m.userId, label: `${m.name} (${m.email})` }));
  const selectedDeps = new Map(
    [...(base?.dependsOn ?? []), ...(candidates.data?.items ?? [])].map((a) => [a.id, `${a.reference} ${a.name}`]),
  );
  const depData = [...selectedDeps].filter(([value]) => value !== id).map(([value, label]) => ({ value, label }));
  const changedByOther =
    conflict && base
      ? Object.entries(fromAsset(conflict)).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(fromAsset(base)[k as keyof Values]))
      : [];

  return (
    <>
      <PageHeader title={editing ? `Edit ${base?.reference ?? ''} ${base?.name ?? ''}` : 'New asset'} />
      <form onSubmit={form.onSubmit((v) => save(v))} noValidate>
        <Card withBorder radius="md" p="lg">
          <Stack>
            <ErrorAlert error={error} />
            <Grid>
              <Grid.Col span={{ base: 12, md: 8 }}>
                <TextInput label="Name" name="name" withAsterisk {...form.getInputProps('name')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>
                <Select
                  label="Type"
                  name="type"
                  allowDeselect={false}
                  data={Object.entries(assetTypeLabels).map(([value, label]) => ({ value, label }))}
                  {...form.getInputProps('type')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 8 }}>
                <Select
                  label="Owner"
                  name="ownerId"
                  placeholder="No owner yet"
                  clearable
                  searchable
                  data={ownerData}
                  {...form.getInputProps('ownerId')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>
                <Select
                  label="Lifecycle status"
                  name="lifecycleStatus"
                  allowDeselect={false}
                  data={Object.entries(lifecycleLabels).map(([value, label]) => ({ value, label }))}
                  {...form.getInputProps('lifecycleStatus')}
                />
              </Grid.Col>
              <Grid.Col span={12}>
                <Textarea label="Description" name="description" autosize minRows={3} {...form.getInputProps('description')} />
              </Grid.Col>
            </Grid>
            <Input.Wrapper
              label="Protection needs"
              description="BSI 200-2 protection requirement categories for confidentiality, integrity and availability"
            >
              <Grid mt={6}>
                {(['confidentiality', 'integrity', 'availability'] as const).map((c) => (
                  <Grid.Col span={{ base: 12, md: 4 }} key={c}>
                    <Text size="sm" mb={4} tt="capitalize">
                      {c}
                    </Text>
                    <SegmentedControl fullWidth data={protectionData} data-testid={`protection-${c}`} {...form.getInputProps(c)} />
                  </Grid.Col>
                ))}
              </Grid>
            </Input.Wrapper>
            <TagsInput label="Tags" name="tags" placeholder="Type a tag and press Enter" clearable {...form.getInputProps('tags')} />
            <MultiSelect
              label="Depends on"
              description="Assets this one needs to work (e.g. a service depends on a system, a system on a location)"
              placeholder="Search assets"
              searchable
              clearable
              searchValue={depSearch}
              onSearchChange={setDepSearch}
              data={depData}
              filter={({ options }) => options}
              {...form.getInputProps('dependsOn')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => navigate(-1)}>
                Cancel
              </Button>
              <Button type="submit" loading={form.submitting}>
                Save asset
              </Button>
            </Group>
          </Stack>
        </Card>
      </form>
      <Modal
        opened={!!conflict}
        onClose={() => setConflict(null)}
        title={<Text fw={600}>Someone else changed this asset</Text>}
        size="lg"
        centered
      >
        <Stack>
          <Text size="sm">
            While you were editing, another user saved version {conflict?.version}. These fields differ from what you started with:
          </Text>
          <Table fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Field</Table.Th>
                <Table.Th>When you opened it</Table.Th>
                <Table.Th>Now</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {changedByOther.map(([k, v]) => (
                <Table.Tr key={k}>
                  <Table.Td>{k}</Table.Td>
                  <Table.Td>{JSON.stringify(base ? fromAsset(base)[k as keyof Values] : '')}</Table.Td>
                  <Table.Td>{JSON.stringify(v)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group justify="flex-end">
            <Button
              variant="default"
              onClick={() => {
                setConflict(null);
                void asset.refetch();
              }}
            >
              Discard my changes and reload
            </Button>
            <Button
              color="orange"
              onClick={() => {
                const version = conflict!.version;
                setConflict(null);
                void save(form.getValues(), version);
              }}
            >
              Save my changes over theirs
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
