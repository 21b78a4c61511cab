namespace Caisson.Cli.Logs;

/// <summary>
/// Reads a container's CRI log file as it grows and hands the bytes to a decoder. A log rotation renames the file
/// and the shim then reopens the path: the file read so far is drained and the new one at the same path is followed.
/// A file truncated in place (copytruncate) is read again from its start.
/// </summary>
internal sealed class CriLogFile(string path, CriLogDecoder decoder) : IDisposable
{
    private const int ChunkBytes = 64 * 1024;

    private readonly byte[] _buffer = new byte[ChunkBytes];
    private FileStream? _stream;

    /// <summary>Where the open file was when it was opened, as the kernel names it; it changes when the file is renamed.</summary>
    private string? _openedAs;

    public string Path { get; } = path;

    /// <summary>Reads whatever was written since the last call. False when nothing was, or the file does not exist yet.</summary>
    public bool ReadAvailable()
    {
        if (_stream is null && (Path.Length == 0 || !TryOpen()))
            return false;
        if (_stream!.Length < _stream.Position)
            _stream.Position = 0;
        var any = false;
        int count;
        while ((count = _stream.Read(_buffer)) > 0)
        {
            decoder.Feed(_buffer.AsSpan(0, count));
            any = true;
        }
        return any;
    }

    /// <summary>
    /// When the open file was renamed or deleted and a new file is at the path, finishes the old one and moves to
    /// the new one. Returns whether anything was read.
    /// </summary>
    public bool FollowRotation()
    {
        if (_stream is null || !WasMoved() || !File.Exists(Path))
            return false;
        // Whatever the shim wrote to the old file before it reopened the path is still to be read.
        var any = ReadAvailable();
        decoder.EndOfFile();
        Close();
        return ReadAvailable() | any;
    }

    /// <summary>The end of the log: an unfinished line at the end is passed on.</summary>
    public void Finish() => decoder.Finish();

    private bool TryOpen()
    {
        try
        {
            _stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        _openedAs = DescriptorTarget(_stream);
        return true;
    }

    private bool WasMoved() => _openedAs is not null && DescriptorTarget(_stream!) != _openedAs;

    /// <summary>The path the kernel reports for our descriptor: after a rename the new name, after a delete " (deleted)".</summary>
    private static string? DescriptorTarget(FileStream stream)
    {
        var descriptor = stream.SafeFileHandle.DangerousGetHandle().ToInt64();
        try
        {
            return new FileInfo($"/proc/self/fd/{descriptor}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private void Close()
    {
        _stream?.Dispose();
        _stream = null;
        _openedAs = null;
    }

    public void Dispose() => Close();
}
