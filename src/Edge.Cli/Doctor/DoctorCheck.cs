namespace Edge.Cli.Doctor;

/// <summary>Outcome of one check. Only <see cref="Fail"/> makes <c>edge doctor</c> exit non-zero.</summary>
public enum CheckStatus
{
    Ok,
    Info,
    Warn,
    Fail,
}

/// <summary>One line of the doctor's report; <paramref name="Fix"/> says what to do when it is not OK.</summary>
public sealed record DoctorCheck(string Name, CheckStatus Status, string Detail, string? Fix = null);

/// <summary>What <c>edge doctor</c> was asked to insist on.</summary>
/// <param name="RequiredProvider">A provider ("TensorRT", "CUDA", "CPU") the configured model must end up on.</param>
/// <param name="RequireFirstProvider">The first entry of Edge:Detector:Providers must be the one used.</param>
public sealed record DoctorRequirements(string? RequiredProvider, bool RequireFirstProvider);
