/**
 * Why the SFU refused a request. The meeting maps each class to a stable error code; the
 * message names what was refused, never mediasoup's internals (those go to `cause`, for logs).
 */
export class MediaError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A transport, producer or consumer id this peer does not hold. */
export class MediaNotFoundError extends MediaError {
  constructor(readonly what: 'transport' | 'producer' | 'consumer') {
    super(`no such ${what}`);
  }
}

/** The media room or the peer was closed (its worker died, the member left). */
export class MediaClosedError extends MediaError {
  constructor(what: 'room' | 'peer') {
    super(`the media ${what} is closed`);
  }
}

/** A per-peer cap was reached: transports, or one producer per kind. */
export class MediaLimitError extends MediaError {
  constructor(readonly limit: 'transports' | 'audio' | 'video', readonly max: number) {
    super(limit === 'transports' ? `at most ${max} transports per connection` : `at most ${max} ${limit} producer per connection`);
  }
}

/** mediasoup refused parameters the client sent (DTLS, RTP parameters or capabilities). */
export class MediaParametersError extends MediaError {
  constructor(what: string, cause: unknown) {
    super(`the ${what} were refused`, { cause });
  }
}
