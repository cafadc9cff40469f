package dev.fleetvault.signer.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signer's durable, append-only record file. Each record is {@code uint32 length || uint32
 * CRC32C(payload) || payload} (big-endian). {@link #append} returns only after the bytes are
 * written and {@code fsync}ed ({@link FileChannel#force(boolean) force(true)}), and the directory
 * is fsynced when the file is created.
 *
 * <p>Recovery: on open, records are read until the end; a torn final record (short or with a bad
 * checksum and nothing valid after it) was never acknowledged and is truncated away; damage
 * anywhere else stops start-up. Not thread-safe: the owner serialises calls.
 */
public final class LogStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogStore.class);

  /** Largest record accepted. */
  public static final int MAX_RECORD = 1 << 20;

  private final Path file;
  private final FileChannel ch;

  private LogStore(Path file, FileChannel ch) {
    this.file = file;
    this.ch = ch;
  }

  /**
   * Opens (creating if needed) the record file and returns it with the records it holds.
   *
   * @param records receives every intact record in order
   */
  public static LogStore open(Path file, List<byte[]> records) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    boolean created = !Files.exists(file);
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      if (created) {
        ch.force(true);
        fsyncDir(dir);
      }
      long good = readAll(ch, records, file);
      if (good < ch.size()) {
        LOG.warn(
            "{}: truncating a torn final record ({} bytes after offset {}); it was never acknowledged",
            file,
            ch.size() - good,
            good);
        ch.truncate(good);
        ch.force(true);
      }
      ch.position(good);
      return new LogStore(file, ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private static long readAll(FileChannel ch, List<byte[]> out, Path file) throws IOException {
    long size = ch.size();
    long pos = 0;
    List<byte[]> tmp = new ArrayList<>();
    while (pos < size) {
      if (size - pos < 8) {
        break; // torn header
      }
      ByteBuffer hdr = ByteBuffer.allocate(8);
      readFully(ch, hdr, pos);
      hdr.flip();
      int len = hdr.getInt();
      int crc = hdr.getInt();
      if (len < 0 || len > MAX_RECORD) {
        if (pos + 8 >= size) {
          break;
        }
        throw new IOException(file + ": corrupt record length at offset " + pos);
      }
      if (size - pos - 8 < len) {
        break; // torn payload
      }
      ByteBuffer body = ByteBuffer.allocate(len);
      readFully(ch, body, pos + 8);
      CRC32C c = new CRC32C();
      c.update(body.array());
      if ((int) c.getValue() != crc) {
        if (pos + 8 + len == size) {
          break; // torn final record
        }
        throw new IOException(
            file
                + ": checksum mismatch in the record at offset "
                + pos
                + " with more records after it; refusing to start on a damaged audit log");
      }
      tmp.add(body.array());
      pos += 8 + len;
    }
    out.addAll(tmp);
    return pos;
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      int n = ch.read(b, pos + b.position());
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }

  /**
   * Appends one record and fsyncs it before returning.
   *
   * @throws IllegalArgumentException if the record is too large (nothing written)
   * @throws IOException if writing or syncing failed (the file's tail is then unknown)
   */
  public void append(byte[] payload) throws IOException {
    if (payload.length > MAX_RECORD) {
      throw new IllegalArgumentException("record too large");
    }
    CRC32C c = new CRC32C();
    c.update(payload);
    ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
    b.putInt(payload.length).putInt((int) c.getValue()).put(payload).flip();
    while (b.hasRemaining()) {
      ch.write(b);
    }
    ch.force(true);
  }

  /** The file path. */
  public Path file() {
    return file;
  }

  private static void fsyncDir(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      LOG.debug("directory fsync not supported for {}: {}", dir, e.toString());
    }
  }

  @Override
  public void close() throws IOException {
    ch.close();
  }
}
