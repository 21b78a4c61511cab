namespace Caisson.Images.Pull;

/// <summary>
/// Work several callers wait on (one layer's download for two pulls of the same image). The work is cancelled
/// only when every caller waiting on it has given up.
/// </summary>
internal sealed class SharedJob
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly object _gate = new();
    private int _waiters;

    public SharedJob(LayerProgress progress) => Progress = progress;

    public LayerProgress Progress { get; }

    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Set under a lock on the job by whoever starts it.</summary>
    public bool Started { get; set; }

    public CancellationToken Token => _cancellation.Token;

    public void Start(Func<CancellationToken, Task> work) => Completion = Task.Run(() => work(_cancellation.Token));

    /// <summary>Registers a caller; false when the job is already abandoned and a new one must be started.</summary>
    public bool TryJoin()
    {
        lock (_gate)
        {
            if (_cancellation.IsCancellationRequested)
                return false;
            _waiters++;
            return true;
        }
    }

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _waiters--;
                if (_waiters == 0 && !Completion.IsCompleted)
                    _cancellation.Cancel();
            }
        }
    }
}
