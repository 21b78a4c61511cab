using System.Diagnostics;

namespace Caisson.Linux.Processes;

/// <summary>
/// Closes a child's redirected stdin, stdout and stderr. Process.Dispose does not close a stream that has been read
/// synchronously (ReadToEndAsync on StandardOutput counts), so each child left its pipes open in caissond until a
/// GC happened to finalize them: two or three descriptors per runc, shim, CNI plugin or cp call. Declare it with
/// <c>using</c> right after the process, so it is disposed first.
/// </summary>
public readonly struct StandardStreams(Process process) : IDisposable
{
    public void Dispose()
    {
        var start = process.StartInfo;
        try
        {
            if (start.RedirectStandardInput)
                process.StandardInput.Dispose();
        }
        catch (IOException)
        {
            // Flushing into a pipe whose reader has exited: nothing is waiting for those bytes.
        }

        // A read still pending keeps its descriptor until it returns (at the child's exit); the close follows.
        if (start.RedirectStandardOutput)
            process.StandardOutput.Dispose();
        if (start.RedirectStandardError)
            process.StandardError.Dispose();
    }
}
