import { useEffect, useState } from 'preact/hooks';
import { ATTACHMENT_ACCEPT, ATTACHMENT_LIMITS, attachmentRulesText, isImage } from '#domain/tickets/attachments';
import { sizeText } from '#domain/wording';
import { api, problemText } from '../api/client';
import { copenhagen } from '../countdown';
import { useLoad } from '../session';

type Attachment = NonNullable<Awaited<ReturnType<typeof listOf>>['data']>['items'][number];

const listOf = (id: string) => api.GET('/tickets/{id}/attachments', { params: { path: { id } } });

/** An attachment's bytes, fetched with the person's own token (an `<img>` or a link could not send it). */
async function bytesOf(ticketId: string, attachmentId: string): Promise<Blob | undefined> {
  const { data } = await api.GET('/tickets/{id}/attachments/{attachmentId}', { params: { path: { id: ticketId, attachmentId } }, parseAs: 'blob' });
  return data as Blob | undefined;
}

/** A ticket's attachments: images as thumbnails, every file by name and size, a download on click; pending and rejected ones say so. */
export function AttachmentList({ ticketId, refresh }: { ticketId: string; refresh: number }) {
  const { value, error } = useLoad(() => listOf(ticketId), [ticketId, refresh]);
  if (error)
    return (
      <p role="alert" class="error">
        {error}
      </p>
    );
  const items = value?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section aria-label="Attachments">
      <h2>Attachments</h2>
      <ul class="attachments">
        {items.map((a) => (
          <AttachmentItem key={a.id} attachment={a} />
        ))}
      </ul>
    </section>
  );
}

function AttachmentItem({ attachment: a }: { attachment: Attachment }) {
  const [thumbnail, setThumbnail] = useState<string>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    if (a.status !== 'available' || !isImage(a.contentType)) return;
    let url: string | undefined;
    void bytesOf(a.ticketId, a.id).then((blob) => {
      if (blob) setThumbnail((url = URL.createObjectURL(blob)));
    });
    return () => url && URL.revokeObjectURL(url);
  }, [a.id, a.status]);
  const download = async () => {
    const blob = await bytesOf(a.ticketId, a.id);
    if (!blob) return setProblem('The file could not be downloaded.');
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = a.filename;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  const added = `${sizeText(a.size)} · added by ${a.byName}, ${copenhagen(a.createdAt)}`;
  return (
    <li class={`attachment ${a.status}`}>
      {thumbnail ? <img src={thumbnail} alt={`Preview of ${a.filename}`} width={96} height={72} /> : null}
      <div>
        {a.status === 'available' ? (
          <button type="button" class="link" onClick={() => void download()}>
            {a.filename}
          </button>
        ) : (
          <span>{a.filename}</span>
        )}
        {a.visibility === 'internal' ? <span class="badge">Internal</span> : null}
        <br />
        <small>
          {added}
          {a.status === 'pending' ? ' · uploading, or not uploaded' : null}
        </small>
        {a.status === 'rejected' ? <p class="field-problem">Not attached: {a.reason}</p> : null}
        {problem ? <p class="field-problem">{problem}</p> : null}
      </div>
    </li>
  );
}

/** Files chosen to attach: picked or dropped, each checked for size before anything is sent. */
export function AttachPicker({ files, onChange }: { files: readonly File[]; onChange: (files: File[]) => void }) {
  const [over, setOver] = useState(false);
  const add = (list: FileList | null | undefined) => {
    if (list?.length) onChange([...files, ...Array.from(list)]);
  };
  return (
    <fieldset
      class={`drop${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        add(e.dataTransfer?.files);
      }}
    >
      <label for="attach">Attach files</label>
      <input id="attach" type="file" multiple accept={ATTACHMENT_ACCEPT} onChange={(e) => add(e.currentTarget.files)} />
      <small> or drop them here: {attachmentRulesText()}.</small>
      {files.length ? (
        <ul class="chosen">
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              {f.name} ({sizeText(f.size)}){f.size > ATTACHMENT_LIMITS.maxBytes ? <span class="field-problem"> too large: at most {sizeText(ATTACHMENT_LIMITS.maxBytes)}</span> : null}{' '}
              <button type="button" class="link" aria-label={`Remove ${f.name}`} onClick={() => onChange(files.filter((_, j) => j !== i))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}

/** The type a browser names a file by, or the allowlist's for its extension (browsers name .log and .eml inconsistently). */
function typeOf(file: File): string {
  const extension = file.name.toLowerCase().split('.').pop();
  if (extension === 'log') return 'text/plain';
  if (extension === 'eml') return 'message/rfc822';
  return file.type || 'application/octet-stream';
}

/**
 * Attaches each file to the ticket: asks for its upload, then sends the bytes
 * where the API says. Answers the problems, one line per file that failed.
 */
export async function uploadAll(ticketId: string, files: readonly File[], visibility: 'public' | 'internal'): Promise<string[]> {
  const problems: string[] = [];
  for (const file of files) {
    const { data, error } = await api.POST('/tickets/{id}/attachments', {
      params: { path: { id: ticketId } },
      body: { filename: file.name, contentType: typeOf(file), size: file.size, visibility },
    });
    if (error || !data) {
      problems.push(`${file.name}: ${problemText(error)}`);
      continue;
    }
    const sent = await fetch(data.uploadUrl, { method: data.uploadMethod, headers: data.uploadHeaders, body: file }).catch(() => undefined);
    if (!sent?.ok) problems.push(`${file.name}: the upload did not complete; try again.`);
  }
  return problems;
}
