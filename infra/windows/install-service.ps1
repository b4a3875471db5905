<#
.SYNOPSIS
Installs the QMT adapter (`minutebar adapter`) as a Windows service with NSSM: restarted on failure after a
delay, stopped with Ctrl-C (the adapter commits its state and outbox), logs rotated at 10 MB.

.DESCRIPTION
Run in an elevated PowerShell on the QMT machine, from a checkout of this repository with `npm install` done.
Needs Node >= 22.18 and nssm.exe (https://nssm.cc) on PATH or given with -Nssm. Running it again replaces the
service with the new settings; the adapter's state directory is kept.

The Redis URL holds the adapter's password. NSSM keeps it in the service's registry key
(HKLM\SYSTEM\CurrentControlSet\Services\<name>\Parameters, readable by administrators only); it is not
written anywhere else and the adapter never logs it.

.EXAMPLE
.\infra\windows\install-service.ps1 `
  -RedisUrl 'rediss://adapter:PASSWORD@REDIS_HOST:6380/0' `
  -QmtPython 'C:\QMT\bin.x64\python.exe' `
  -CaCert 'C:\minutebar-data\ca.crt'
#>
[CmdletBinding()]
param(
    # rediss://adapter:PASSWORD@REDIS_HOST:6380/0 (the `adapter` ACL user of infra/redis/users.acl).
    [Parameter(Mandatory)] [string] $RedisUrl,
    # The Python that has xtquant (QMT's own, or one with xtquant installed).
    [Parameter(Mandatory)] [string] $QmtPython,
    # The private CA of infra/tls/make-certs.sh (ca.crt only, never ca.key).
    [Parameter(Mandatory)] [string] $CaCert,
    # The repository checkout the service runs from.
    [string] $InstallDir = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path,
    # The adapter's state, outbox and dead letters (ADAPTER_STATE_DIR = $DataDir\adapter), and the logs.
    [string] $DataDir = 'C:\minutebar-data',
    [string] $ServiceName = 'minutebar-adapter',
    [string] $Nssm = 'nssm.exe',
    # node.exe; default: the one on PATH.
    [string] $Node = '',
    # The Windows user QMT runs as, if the adapter must run as that user; default: LocalSystem.
    [pscredential] $Credential,
    # Rotated logs older than this are deleted by a daily scheduled task.
    [int] $KeepLogDays = 30
)

$ErrorActionPreference = 'Stop'

function Fail([string] $message) { throw "install-service.ps1: $message" }

# NSSM prints to stdout and reports failure by its exit code only.
function Invoke-Nssm {
    & $script:NssmPath @args | Out-Null
    if ($LASTEXITCODE -ne 0) { Fail "nssm $($args[0]) $($args[2]) failed (exit $LASTEXITCODE)" }
}

$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    Fail 'run this from an elevated PowerShell (Run as administrator)'
}

$script:NssmPath = (Get-Command $Nssm -ErrorAction SilentlyContinue).Source
if (-not $script:NssmPath) { Fail "nssm.exe not found: put it on PATH or pass -Nssm C:\path\nssm.exe" }

if ($Node -eq '') { $Node = (Get-Command node.exe -ErrorAction SilentlyContinue).Source }
if (-not $Node -or -not (Test-Path $Node)) { Fail 'node.exe not found: install Node 22 (>= 22.18) or pass -Node' }
$nodeVersion = [version]((& $Node --version).TrimStart('v'))
if ($nodeVersion -lt [version]'22.18.0') { Fail "Node $nodeVersion is too old: minutebar needs >= 22.18 (type stripping)" }

$entry = Join-Path $InstallDir 'bin\minutebar.js'
if (-not (Test-Path $entry)) { Fail "$entry not found: -InstallDir must be the repository checkout" }
if (-not (Test-Path (Join-Path $InstallDir 'node_modules'))) { Fail "run npm install in $InstallDir first" }
if (-not (Test-Path $QmtPython)) { Fail "QMT Python $QmtPython not found" }
if (-not (Test-Path $CaCert)) { Fail "CA certificate $CaCert not found (copy infra/tls/ca.crt from the server)" }
if (-not $RedisUrl.StartsWith('rediss://')) {
    Fail 'REDIS_URL must start with rediss:// (TLS): the password and the market data cross the WAN'
}
if ($RedisUrl -notmatch '^rediss://[^:/@]+:[^@]+@') {
    Fail 'REDIS_URL must name the ACL user: rediss://adapter:PASSWORD@REDIS_HOST:6380/0 (the default user is off)'
}

$stateDir = Join-Path $DataDir 'adapter'
$logDir = Join-Path $DataDir 'logs'
New-Item -ItemType Directory -Force -Path $stateDir, $logDir | Out-Null
$log = Join-Path $logDir 'adapter.log'

if (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue) {
    Write-Host "Replacing the existing service $ServiceName (it is stopped first)"
    & $script:NssmPath stop $ServiceName | Out-Null
    Invoke-Nssm remove $ServiceName confirm
}

# node.exe directly (not npx): NSSM's Ctrl-C and exit code reach the adapter itself. A 2 MB young generation:
# the adapter allocates little and steadily, and V8's default (up to 16 MB per semi-space) is ~20 MB of RSS
# for nothing (npm run bench:adapter measures the adapter with the same flag).
Invoke-Nssm install $ServiceName $Node
Invoke-Nssm set $ServiceName AppParameters '--max-semi-space-size=2 bin\minutebar.js adapter'
Invoke-Nssm set $ServiceName AppDirectory $InstallDir
Invoke-Nssm set $ServiceName DisplayName 'minutebar QMT adapter'
Invoke-Nssm set $ServiceName Description 'QMT ticks -> 1m bars -> Redis stream (minutebar adapter)'
Invoke-Nssm set $ServiceName Start SERVICE_DELAYED_AUTO_START
Invoke-Nssm set $ServiceName AppEnvironmentExtra `
    "REDIS_URL=$RedisUrl" `
    "QMT_PYTHON=$QmtPython" `
    "NODE_EXTRA_CA_CERTS=$CaCert" `
    "ADAPTER_STATE_DIR=$stateDir" `
    "DATA_DIR=$DataDir"
if ($Credential) {
    Invoke-Nssm set $ServiceName ObjectName $Credential.UserName $Credential.GetNetworkCredential().Password
}

# Restart on any exit, 5 s later. A process that exits within 30 s of its start is throttled: NSSM waits
# longer before each further restart, so a broken setup does not spin. The adapter itself restarts the
# bridge (QMT disconnects, stalls) without exiting; an exit means Node itself failed.
Invoke-Nssm set $ServiceName AppExit Default Restart
Invoke-Nssm set $ServiceName AppRestartDelay 5000
Invoke-Nssm set $ServiceName AppThrottle 30000

# Stop: Ctrl-C first, with 20 s to commit state and hand Redis what is waiting; then the window close, then
# termination of the process tree (the Python bridge with it).
Invoke-Nssm set $ServiceName AppStopMethodSkip 0
Invoke-Nssm set $ServiceName AppStopMethodConsole 20000
Invoke-Nssm set $ServiceName AppStopMethodWindow 5000
Invoke-Nssm set $ServiceName AppStopMethodThreads 5000
Invoke-Nssm set $ServiceName AppKillProcessTree 1

# The adapter writes timestamped lines on stderr into one file, rotated at 10 MB while it runs, and at a start
# when older than a day.
Invoke-Nssm set $ServiceName AppStdout $log
Invoke-Nssm set $ServiceName AppStderr $log
Invoke-Nssm set $ServiceName AppRotateFiles 1
Invoke-Nssm set $ServiceName AppRotateOnline 1
Invoke-Nssm set $ServiceName AppRotateSeconds 86400
Invoke-Nssm set $ServiceName AppRotateBytes 10485760

# If NSSM itself dies, the service control manager restarts it (5 s, 30 s, then every 60 s; reset after a day).
& sc.exe failure $ServiceName reset= 86400 actions= restart/5000/restart/30000/restart/60000 | Out-Null
if ($LASTEXITCODE -ne 0) { Fail "sc.exe failure $ServiceName failed (exit $LASTEXITCODE)" }

# NSSM rotates but never deletes: a daily task removes rotated logs older than -KeepLogDays.
$cleanup = "Get-ChildItem -Path '$logDir' -Filter 'adapter-*.log' | " +
    "Where-Object { `$_.LastWriteTime -lt (Get-Date).AddDays(-$KeepLogDays) } | Remove-Item -Force"
$action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument "-NoProfile -NonInteractive -Command `"$cleanup`""
$trigger = New-ScheduledTaskTrigger -Daily -At 3am
Register-ScheduledTask -TaskName "$ServiceName-log-cleanup" -Action $action -Trigger $trigger `
    -User 'SYSTEM' -RunLevel Highest -Force | Out-Null

Invoke-Nssm start $ServiceName
Start-Sleep -Seconds 3
$status = (Get-Service -Name $ServiceName).Status
Write-Host "$ServiceName is $status. Log: $log (status line every minute). State: $stateDir"
Write-Host "Stop: nssm stop $ServiceName   Remove: nssm remove $ServiceName confirm"
