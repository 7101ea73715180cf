/**
 * @module
 * The camera page: `getUserMedia` opens the (back) camera, each video frame is drawn to a
 * canvas and given to `scanCccdQr` (`@vneid/core/scan`: zxing-wasm, its `.wasm` loaded from
 * beside this script on the first frame), and the first CCCD / Căn cước QR code found is shown
 * as the parsed card. A QR code that is not a card's is reported and scanning goes on. The
 * camera is stopped as soon as a card is read. `#status[data-state]` tells the state
 * (`idle`, `scanning`, `found`, `error`), for people and for the test.
 */
import { type CccdQrData, CccdQrError } from '@vneid/core/qr';
import { scanCccdQr } from '@vneid/core/scan';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const video = $<HTMLVideoElement>('video');
const status = $<HTMLParagraphElement>('status');
const startButton = $<HTMLButtonElement>('start');
const againButton = $<HTMLButtonElement>('again');
const cardSection = $<HTMLElement>('card');
const fields = $<HTMLDListElement>('fields');
const canvas = document.createElement('canvas');
const context = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;

/** Frames scanned since the camera started (shown, and read by the test). */
let frames = 0;
let stream: MediaStream | undefined;

function setStatus(state: 'idle' | 'scanning' | 'found' | 'error', text: string): void {
  status.dataset['state'] = state;
  status.textContent = text;
  status.classList.toggle('error', state === 'error');
}

const formatDate = (iso: string): string => iso.split('-').reverse().join('/');

function showCard(card: CccdQrData): void {
  const rows: Array<[string, string, string]> = [
    ['idNumber', 'Số định danh (ID number)', card.idNumber],
    ['oldIdNumber', 'Số CMND cũ (old ID)', card.oldIdNumber ?? '—'],
    ['fullName', 'Họ và tên (full name)', card.fullName],
    ['dateOfBirth', 'Ngày sinh (date of birth)', formatDate(card.dateOfBirth)],
    ['sex', 'Giới tính (sex)', card.sex === 'male' ? 'Nam' : 'Nữ'],
    ['address', card.kind === 'cccd' ? 'Nơi thường trú (address)' : 'Nơi cư trú (residence)', card.address],
    ['issueDate', 'Ngày cấp (issue date)', formatDate(card.issueDate)],
    ['kind', 'Loại thẻ (card)', card.kind === 'cccd' ? 'CCCD gắn chip' : 'Căn cước'],
  ];
  fields.replaceChildren(
    ...rows.flatMap(([key, label, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.dataset['field'] = key;
      dd.textContent = value;
      return [dt, dd];
    }),
  );
  cardSection.hidden = false;
}

function stopCamera(): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
  stream = undefined;
  video.srcObject = null;
}

async function scanLoop(): Promise<void> {
  while (stream) {
    if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      frames++;
      status.dataset['frames'] = String(frames);
      const hit = await scanCccdQr(frame);
      if (hit && !(hit.card instanceof CccdQrError)) {
        stopCamera();
        showCard(hit.card);
        setStatus('found', `Card read (${hit.decoder}, frame ${frames}).`);
        againButton.hidden = false;
        return;
      }
      setStatus(
        'scanning',
        hit
          ? `A QR code that is not a CCCD (${(hit.card as CccdQrError).code}); keep scanning…`
          : 'Scanning…',
      );
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function start(): Promise<void> {
  cardSection.hidden = true;
  againButton.hidden = true;
  frames = 0;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
  } catch (error) {
    setStatus('error', `No camera: ${(error as Error).name}. Allow the camera and try again.`);
    return;
  }
  video.srcObject = stream;
  await video.play();
  setStatus('scanning', 'Scanning…');
  startButton.hidden = true;
  scanLoop().catch((error: unknown) => {
    stopCamera();
    setStatus('error', `Scanner failed: ${(error as Error).message}`);
  });
}

startButton.addEventListener('click', () => void start());
againButton.addEventListener('click', () => void start());
