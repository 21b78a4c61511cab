using Caisson.Cli;

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl-C cancels the call in flight and lets the command end cleanly; a second one kills the process.
    if (interrupted.IsCancellationRequested)
        return;
    e.Cancel = true;
    interrupted.Cancel();
};
return await CliApp.RunAsync(args, CliContext.FromConsole(), interrupted.Token);
