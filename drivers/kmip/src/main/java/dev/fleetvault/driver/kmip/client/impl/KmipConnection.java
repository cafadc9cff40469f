package dev.fleetvault.driver.kmip.client.impl;

import dev.fleetvault.driver.kmip.client.KmipClientConfig;
import dev.fleetvault.driver.kmip.client.KmipException;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.Operation;
import dev.fleetvault.driver.kmip.ttlv.Ttlv;
import dev.fleetvault.driver.kmip.ttlv.TtlvDecoder;
import dev.fleetvault.driver.kmip.ttlv.TtlvException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One TLS connection to a KMIP server carrying one request at a time. Not thread-safe: the pool
 * hands it to one caller at a time. Any I/O failure marks it broken so the pool discards it.
 */
public final class KmipConnection implements AutoCloseable {
  private final SSLSocket socket;
  private final InputStream in;
  private final OutputStream out;
  private final KmipClientConfig config;
  private boolean broken;
  private boolean used;

  private KmipConnection(SSLSocket socket, KmipClientConfig config) throws IOException {
    this.socket = socket;
    this.config = config;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /**
   * Connects, runs the TLS handshake (bounded by the connect timeout) and returns the connection.
   */
  public static KmipConnection open(KmipClientConfig config) throws KmipException {
    Socket raw = new Socket();
    try {
      raw.setTcpNoDelay(true);
      int connectMs = (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis());
      raw.connect(new InetSocketAddress(config.host(), config.port()), connectMs);
    } catch (SocketTimeoutException e) {
      closeQuietly(raw);
      throw new KmipException(
          KmipException.Kind.TIMEOUT,
          null,
          "connecting to KMIP server " + config.host() + ":" + config.port() + " timed out",
          e);
    } catch (IOException e) {
      closeQuietly(raw);
      throw new KmipException(
          KmipException.Kind.TRANSPORT,
          null,
          "cannot connect to KMIP server "
              + config.host()
              + ":"
              + config.port()
              + ": "
              + e.getMessage(),
          e);
    }
    return handshake(raw, config);
  }

  private static KmipConnection handshake(Socket raw, KmipClientConfig config)
      throws KmipException {
    int connectMs = (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis());
    try {
      SSLSocket s =
          (SSLSocket)
              config
                  .sslContext()
                  .getSocketFactory()
                  .createSocket(raw, config.host(), config.port(), true);
      SSLParameters p = s.getSSLParameters();
      p.setProtocols(config.tlsProtocols().toArray(new String[0]));
      if (config.verifyHostname()) {
        p.setEndpointIdentificationAlgorithm("HTTPS");
      }
      s.setSSLParameters(p);
      s.setSoTimeout(connectMs);
      s.startHandshake();
      s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.operationTimeout().toMillis()));
      return new KmipConnection(s, config);
    } catch (SocketTimeoutException e) {
      closeQuietly(raw);
      throw new KmipException(
          KmipException.Kind.TIMEOUT,
          null,
          "TLS handshake with KMIP server " + config.host() + ":" + config.port() + " timed out",
          e);
    } catch (IOException e) {
      // SSLException, or the server dropping the connection because it refused our certificate
      closeQuietly(raw);
      throw new KmipException(
          KmipException.Kind.TLS,
          null,
          "TLS handshake with KMIP server "
              + config.host()
              + ":"
              + config.port()
              + " failed: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Sends one encoded request message and reads one response message.
   *
   * @param operation for error messages (the first operation of the batch)
   */
  public Ttlv exchange(byte[] request, Operation operation) throws KmipException {
    used = true;
    try {
      out.write(request);
      out.flush();
      return TtlvDecoder.readMessage(in, config.limits());
    } catch (SocketTimeoutException e) {
      broken = true;
      throw new KmipException(
          KmipException.Kind.TIMEOUT,
          operation,
          "KMIP server did not answer "
              + operation
              + " within "
              + config.operationTimeout().toMillis()
              + " ms",
          e);
    } catch (IOException e) {
      broken = true;
      throw new KmipException(
          KmipException.Kind.TRANSPORT,
          operation,
          "KMIP connection failed during " + operation + ": " + e.getMessage(),
          e);
    } catch (TtlvException e) {
      broken = true;
      throw new KmipException(
          KmipException.Kind.PROTOCOL,
          operation,
          "malformed KMIP response to " + operation + ": " + e.getMessage(),
          e);
    }
  }

  /** Whether an I/O or protocol failure made this connection unusable. */
  public boolean isBroken() {
    return broken || socket.isClosed();
  }

  /** Whether a request was ever sent on this connection. */
  public boolean wasUsed() {
    return used;
  }

  /** Marks the connection unusable (the response did not match the request). */
  public void markBroken() {
    broken = true;
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
