import { Button } from '@mantine/core';
import { IconFileTypeDocx, IconFileTypePdf } from '@tabler/icons-react';

export type DocumentFormat = 'pdf' | 'docx';

/**
 * The "PDF" and "Word" download buttons of a document (audit report, minutes, incident report, policy version): the
 * same file in both formats from `href(format)`. Labels come from the page's own namespace.
 */
export function PdfWordButtons({
  href,
  pdfLabel,
  wordLabel,
  pdfTitle,
  wordTitle,
  testId,
}: {
  href: (format: DocumentFormat) => string;
  pdfLabel: string;
  wordLabel: string;
  pdfTitle?: string;
  wordTitle?: string;
  /** the buttons' test ids are `${testId}-pdf` and `${testId}-docx` */
  testId: string;
}) {
  return (
    <>
      <Button
        variant="default"
        component="a"
        href={href('pdf')}
        download
        title={pdfTitle}
        leftSection={<IconFileTypePdf size={16} />}
        data-testid={`${testId}-pdf`}
      >
        {pdfLabel}
      </Button>
      <Button
        variant="default"
        component="a"
        href={href('docx')}
        download
        title={wordTitle}
        leftSection={<IconFileTypeDocx size={16} />}
        data-testid={`${testId}-docx`}
      >
        {wordLabel}
      </Button>
    </>
  );
}
