// Drag-and-drop (or pick) a file and upload it as a new version (of a model, or of a dataset with `pathOf` and
// `what`), with a progress bar.
import { useRef, useState } from 'preact/hooks';
import { enc, upload } from '../api.js';
import { ErrorBox, fmt } from '../components.jsx';

const kModelFiles = 'XGBoost (JSON, UBJSON, binary), ONNX, GGUF or TorchScript; the framework is read from the bytes.';

export function UploadZone({ model, onUploaded, pathOf, what = 'model file', hint = kModelFiles, describe }) {
  const [drag, setDrag] = useState(false);
  const [progress, setProgress] = useState(null);  // {sent, total, started, name}
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const input = useRef(null);

  const send = async (file) => {
    if (!file) return;
    setError(null);
    setDone(null);
    const started = performance.now();
    setProgress({ sent: 0, total: file.size, started, name: file.name });
    try {
      const path = pathOf ? pathOf(file) : `/api/v1/models/${enc(model)}/versions`;
      const version = await upload(path, file, (sent, total) => setProgress({ sent, total, started, name: file.name }));
      setDone(version);
      onUploaded && onUploaded(version);
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  };
  const onDrop = (e) => {
    e.preventDefault();
    setDrag(false);
    send(e.dataTransfer.files[0]);
  };
  const pct = progress && progress.total ? Math.round((progress.sent / progress.total) * 100) : 0;
  const rate = progress ? progress.sent / Math.max((performance.now() - progress.started) / 1000, 0.001) : 0;
  return (
    <div>
      <div class={'dropzone' + (drag ? ' drag' : '')} tabIndex={0} role="button"
           aria-label={`Upload a new version of ${model}: drop a file or press Enter to pick one`}
           onDragOver={(e) => { e.preventDefault(); setDrag(true); }} onDragLeave={() => setDrag(false)} onDrop={onDrop}
           onClick={() => input.current.click()} onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && input.current.click()}>
        <strong>Drop a {what} here</strong> or click to choose one
        <div class="muted small">{hint}</div>
        <input ref={input} type="file" hidden data-testid="upload-input" onChange={(e) => send(e.target.files[0])} />
      </div>
      {progress && (
        <div class="progress-box">
          <div class="muted small">{progress.name}: {fmt.bytes(progress.sent)} of {fmt.bytes(progress.total)} ({fmt.bytes(rate)}/s)</div>
          <progress max="100" value={pct} aria-label="Upload progress" data-testid="upload-progress">{pct}%</progress>
        </div>
      )}
      {done && <div class="notice" role="status">{describe ? describe(done) : `Uploaded version ${done.version} (${done.framework}, ${fmt.bytes(done.size_bytes)}).`}</div>}
      <ErrorBox error={error} title="The upload was refused" />
    </div>
  );
}
