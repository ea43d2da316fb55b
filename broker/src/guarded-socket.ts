import { Duplex } from 'node:stream'
import type { Socket } from 'node:net'
import type { FrameScanner, FrameViolation } from './frame-scanner.ts'

/**
 * A duplex over a TCP (or TLS) socket that lets aedes read only bytes the {@link FrameScanner} passed.
 * Chunks are handed on as they are (no copy); on the first violation nothing more is handed on
 * and the stream is destroyed with the error `onViolation` returns, which aedes reports as a
 * client error and answers by closing the connection (no ack is ever written for that packet).
 * Writes go straight to the socket, corked per batch, with the socket's backpressure.
 */
export class GuardedSocket extends Duplex {
  readonly socket: Socket
  #pendingWrite: ((err?: Error | null) => void) | null = null

  constructor (socket: Socket, scanner: FrameScanner, onViolation: (v: FrameViolation) => Error) {
    super({ allowHalfOpen: false, readableHighWaterMark: socket.readableHighWaterMark, writableHighWaterMark: socket.writableHighWaterMark })
    this.socket = socket
    socket.on('data', (chunk: Buffer) => {
      if (this.destroyed) return
      const violation = scanner.scan(chunk)
      if (violation !== null) {
        socket.pause()
        this.destroy(onViolation(violation))
        return
      }
      if (!this.push(chunk)) socket.pause()
    })
    socket.on('end', () => this.push(null))
    socket.on('error', (err) => this.destroy(err))
    socket.on('close', () => { if (!this.destroyed) this.destroy() })
    socket.on('drain', () => this.#flushed())
  }

  /** The peer's address, for logs. */
  get remoteAddress (): string | undefined { return this.socket.remoteAddress }

  override _read (): void {
    this.socket.resume()
  }

  override _write (chunk: Buffer, encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (this.socket.write(chunk, encoding)) callback()
    else this.#pendingWrite = callback
  }

  override _writev (chunks: Array<{ chunk: Buffer, encoding: BufferEncoding }>, callback: (err?: Error | null) => void): void {
    // mqtt-packet corks for one packet's pieces; keep them in one TCP write.
    this.socket.cork()
    let ok = true
    for (const { chunk, encoding } of chunks) ok = this.socket.write(chunk, encoding)
    this.socket.uncork()
    if (ok) callback()
    else this.#pendingWrite = callback
  }

  override _final (callback: (err?: Error | null) => void): void {
    this.socket.end()
    callback()
  }

  override _destroy (err: Error | null, callback: (err?: Error | null) => void): void {
    this.#pendingWrite = null
    this.socket.destroy()
    callback(err)
  }

  #flushed (): void {
    const cb = this.#pendingWrite
    this.#pendingWrite = null
    cb?.()
  }
}
