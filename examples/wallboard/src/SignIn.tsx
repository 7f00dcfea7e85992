import { useState, type FormEvent } from 'react';

interface Props {
  /** Why the wallboard is signed out: no token yet, or the gateway refused it. */
  reason: string;
  prefill: string;
  onSignIn(token: string): void;
}

/** The signed-out state: why, and a field for the access token. */
export function SignIn({ reason, prefill, onSignIn }: Props) {
  const [token, setToken] = useState(prefill);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) onSignIn(token.trim());
  };
  return (
    <section className="sign-in" aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">Signed out</h2>
      <p>{reason}</p>
      <form onSubmit={submit}>
        <label htmlFor="token">Access token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          required
          value={token}
          onChange={(event) => setToken(event.target.value)}
        />
        <button type="submit">Connect</button>
      </form>
    </section>
  );
}
