import { useEffect, useRef, type ReactNode } from 'react';

interface Props {
  /** The id of the element that names the dialog. */
  labelledBy: string;
  className?: string;
  /** Escape, or the dialog closed some other way. */
  onClose: () => void;
  children: ReactNode;
}

/**
 * A modal dialog: focus moves into it when it opens, Escape closes it, and focus goes back to where it was (the
 * button that opened it) when it goes, however it goes.
 */
export function ModalDialog({ labelledBy, className, onClose, children }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (element && !element.open) element.showModal();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      className={`modal ${className ?? ''}`}
      aria-labelledby={labelledBy}
      onCancel={(e) => {
        // Closed by the component that owns it, so that its state says the dialog is gone.
        e.preventDefault();
        onClose();
      }}
    >
      {children}
    </dialog>
  );
}
