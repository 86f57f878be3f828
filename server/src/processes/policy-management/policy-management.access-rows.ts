import type { AccessFixture, AccessRow } from '../../test/access-rows.ts';

const versionUrl = async (f: AccessFixture) => {
  const d = (await f.create('/documents', {
    type: 'policy',
    title: 'Matrix policy (DOCX)',
    contentMd: '# Matrix',
    approverIds: [f.users.contributor.id, f.users.manager.id],
  })) as { id: string; versions: { id: string }[] };
  return `/api/scopes/${f.scopeId}/documents/${d.id}/versions/${d.versions[0]!.id}`;
};

// anonymous outsider employee viewer auditor contributor manager admin
export const accessRows: AccessRow[] = [
  {
    // as the PDF: an employee may download only published versions addressed to them (this one is a draft)
    name: 'document version DOCX',
    method: 'GET',
    url: async (f) => `${await versionUrl(f)}/docx`,
    expect: [401, 404, 404, 200, 200, 200, 200, 200],
  },
];
