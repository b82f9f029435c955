using System.Text.Json;

namespace Edge.Service.Events;

/// <summary>Appends one JSON object per line (JSON Lines) and flushes after each, so a crash loses at most the
/// event being written and <c>tail -f | jq</c> sees events as they happen. Thread-safe; events are rare
/// (track births/deaths, follow changes), so a lock and a synchronous write are cheaper than a queue.</summary>
public sealed class JsonlEventSink : IEventSink, IDisposable
{
    private readonly Lock _gate = new();
    private readonly FileStream _stream;
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
            _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 4096);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EdgeException($"Cannot open the event log '{path}' for appending: {ex.Message}", ex);
        }
        _writer = new Utf8JsonWriter(_stream, new JsonWriterOptions { Indented = false, SkipValidation = false });
        FilePath = path;
    }

    public string FilePath { get; }

    public long Written { get; private set; }

    public void Publish(EdgeEvent e)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            JsonSerializer.Serialize(_writer, e, EdgeJsonContext.Default.EdgeEvent);
            _writer.Flush();
            _writer.Reset();
            _stream.WriteByte((byte)'\n');
            _stream.Flush();
            Written++;
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
            _stream.Flush(flushToDisk: true);
            _stream.Dispose();
        }
    }
}
