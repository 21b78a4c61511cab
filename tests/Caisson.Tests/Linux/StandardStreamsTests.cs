using System.Diagnostics;
using System.Runtime.InteropServices;
using Caisson.Linux.Processes;

namespace Caisson.Tests.Linux;

// A child's redirected pipes must be closed when we are done with it, not when a GC happens to finalize them:
// caissond ran out of descriptors' worth of pipes across 200 pod cycles once full GCs became rare.
public sealed class StandardStreamsTests
{
    [Fact]
    public async Task Disposing_closes_the_pipes_that_Process_Dispose_leaves_open_once_they_were_read()
    {
        var (leftByProcess, _) = await RunEchoAsync(closeStreams: false);
        var (leftByStreams, output) = await RunEchoAsync(closeStreams: true);

        Assert.Equal("hello\n", output);
        // The control: Process.Dispose alone leaves both read ends open.
        Assert.Equal([false, false], leftByProcess);
        Assert.Equal([true, true], leftByStreams);
    }

    private static async Task<(bool[] Closed, string Output)> RunEchoAsync(bool closeStreams)
    {
        var info = new ProcessStartInfo("/bin/echo") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        info.ArgumentList.Add("hello");
        SafeHandleView output, error;
        string text;
        using (var process = Process.Start(info)!)
        {
            var streams = new StandardStreams(process);
            try
            {
                text = await process.StandardOutput.ReadToEndAsync();
                await process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                output = new SafeHandleView(process.StandardOutput);
                error = new SafeHandleView(process.StandardError);
            }
            finally
            {
                if (closeStreams)
                    streams.Dispose();
            }
        }

        return ([output.IsClosed, error.IsClosed], text);
    }

    private sealed class SafeHandleView(StreamReader reader)
    {
        // Taken while the stream is open: PipeStream refuses to hand out a closed handle.
        private readonly SafeHandle handle = ((System.IO.Pipes.PipeStream)reader.BaseStream).SafePipeHandle;

        public bool IsClosed => handle.IsClosed;
    }
}
