import { useEffect, useId, useRef } from "preact/hooks";

/**
 * A confirmation in a modal <dialog>: the browser keeps focus inside it and closes it with Escape;
 * the safe choice has the focus first.
 */
export function Confirm(props: {
  open: boolean;
  title: string;
  message: string;
  confirm: string;
  /** The safe choice's label. */
  keep?: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  // A page may hold several confirmations (cancel, delete): each names itself by its own title.
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby={titleId} onClose={props.onClose}>
      <h2 id={titleId}>{props.title}</h2>
      <p>{props.message}</p>
      <div class="actions">
        <button type="button" class="button" onClick={props.onClose} autofocus>
          {props.keep ?? "Keep it running"}
        </button>
        <button
          type="button"
          class="button danger"
          onClick={() => {
            props.onConfirm();
            props.onClose();
          }}
        >
          {props.confirm}
        </button>
      </div>
    </dialog>
  );
}
