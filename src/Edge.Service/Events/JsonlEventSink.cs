using System.Buffers;
using System.Text.Json;

namespace Edge.Service.Events;

/// <summary>Appends one JSON object per line (JSON Lines), each line in one unbuffered write, so a crash loses at
/// most the event being written, <c>tail -f | jq</c> sees events as they happen, and a failed write (a full disk)
/// leaves no half line behind to be flushed later. Thread-safe; events are rare (track births/deaths, follow
/// changes), so a lock and a synchronous write are cheaper than a queue.</summary>
public sealed class JsonlEventSink : IEventSink, IDisposable
{
    private readonly Lock _gate = new();
    private readonly FileStream _stream;
    private readonly ArrayBufferWriter<byte> _line = new(512);
    private readonly Utf8JsonWriter _writer;
    private bool _disposed;

    public JsonlEventSink(string path)
    {
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }
            _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EdgeException($"Cannot open the event log '{path}' for appending: {ex.Message}", ex);
        }
        _writer = new Utf8JsonWriter(_line, new JsonWriterOptions { Indented = false, SkipValidation = false });
        FilePath = path;
    }

    public string FilePath { get; }

    public long Written { get; private set; }

    public void Publish(EdgeEvent e)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                JsonSerializer.Serialize(_writer, e, EdgeJsonContext.Default.EdgeEvent);
                _writer.Flush();
                _line.Write("\n"u8);
                _stream.Write(_line.WrittenSpan);
                Written++;
            }
            finally
            {
                _writer.Reset();
                _line.ResetWrittenCount();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _writer.Dispose();
            try
            {
                _stream.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
                // Nothing is buffered (every line was written whole or failed); a disk that cannot sync loses nothing more here.
            }
            _stream.Dispose();
        }
    }
}
