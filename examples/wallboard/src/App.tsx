import { ApolloProvider } from '@apollo/client/react';
import { useCallback, useEffect, useState } from 'react';
import { connect, type GatewayConnection, type SocketState } from './apollo';
import { Board } from './Board';
import { demoToken, storedToken, storeToken } from './session';
import { SignIn } from './SignIn';

const STATE_TEXT: Record<SocketState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Connection lost: reconnecting…',
};

export function App() {
  const [token, setToken] = useState(() => storedToken() ?? demoToken());
  const [reason, setReason] = useState('Enter an access token to see the wallboard.');
  const [state, setState] = useState<SocketState>('connecting');
  const signOut = useCallback((why: string) => {
    storeToken(null);
    setToken(null);
    setReason(why);
  }, []);
  const signIn = (value: string) => {
    storeToken(value);
    setState('connecting');
    setToken(value);
  };

  return (
    <>
      <header className="top">
        <h1>Contact centre wallboard</h1>
        {token ? (
          <>
            <p className={`connection ${state}`} role="status" data-testid="connection-status">
              {STATE_TEXT[state]}
            </p>
            <button type="button" onClick={() => signOut('You signed out.')}>
              Sign out
            </button>
          </>
        ) : null}
      </header>
      {token ? (
        <Live key={token} token={token} onState={setState} onRefused={signOut} />
      ) : (
        <main>
          <SignIn reason={reason} prefill={demoToken() ?? ''} onSignIn={signIn} />
        </main>
      )}
    </>
  );
}

interface LiveProps {
  token: string;
  onState(state: SocketState): void;
  onRefused(reason: string): void;
}

/** One connection per token, closed when the token goes. */
function Live({ token, onState, onRefused }: LiveProps) {
  const [connection, setConnection] = useState<GatewayConnection | null>(null);
  useEffect(() => {
    const opened = connect(token, onState);
    setConnection(opened);
    return () => opened.dispose();
  }, [token, onState]);
  return connection ? (
    <ApolloProvider client={connection.client}>
      <Board onRefused={onRefused} />
    </ApolloProvider>
  ) : null;
}
