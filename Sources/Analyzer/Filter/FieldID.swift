/// Every field the filter language knows, resolved once at compile time so that evaluating a filter never
/// looks a field up by name. The raw value is stable within one build only; persist names, never raw values.
///
/// `FieldRegistry.info(_:)` holds each case's name, type, description and whether kcap supports it. Cases of
/// unsupported fields exist so that their names are known (reported as "unsupported field", not misspelt);
/// a `FieldValueSource` is never asked for them.
public enum FieldID: UInt16, Sendable, CaseIterable, Hashable {
    // evt.*
    case evtNum, evtTime, evtDatetime, evtRawtime, evtReltime, evtType, evtDir, evtCPU, evtArgs, evtArg, evtRawarg
    case evtRes, evtRawres, evtFailed, evtLatency, evtIsIO, evtIsIORead, evtIsIOWrite, evtIsOpenRead
    case evtIsOpenWrite, evtIsOpenExec, evtBuflen, evtBuffer, evtCategory, evtSource
    case evtDeltatime, evtInfo, evtCount, evtIsWait, evtIsSyslog, evtAround, evtAbspath, evtPluginname
    case evtHost
    // host.*
    case hostName
    // proc.*
    case procPid, procPpid, procName, procPname, procExe, procExepath, procCmdline, procArgs, procCwd, procAname
    case procApid, procDuration, procVpid, procSid, procTty, procEnv, procNthreads, procLoginshellid
    case procExeline, procPcmdline, procIsContainerHealthcheck, procVpgid, procPvpid
    // thread.*
    case threadTid, threadVtid, threadIsmain, threadExectime, threadTotexectime, threadCgroups
    // fd.*
    case fdNum, fdType, fdTypechar, fdName, fdDirectory, fdFilename, fdSip, fdDip, fdSport, fdDport
    case fdCip, fdCport, fdLip, fdRip, fdLport, fdRport, fdL4proto, fdSockfamily, fdPort, fdIP
    case fdNet, fdCnet, fdSnet, fdLnet, fdRnet, fdIno, fdIsServer, fdNameChanged, fdDev, fdDevMajor, fdDevMinor
    case fdNameraw, fdContainername, fdContainerdirectory, fdCipName, fdSipName, fdLipName, fdRipName, fdRproto
    case fdSproto, fdLproto, fdCproto, fdUid, fdGid, fdMode
    // user.* and group.*
    case userUid, userName, userHomedir, userShell, userLoginuid, userLoginname, groupGid, groupName
    // container.*
    case containerID, containerName, containerImage, containerType, containerPrivileged
    // k8s.* (known by name only)
    case k8sPodName, k8sNsName, k8sDeploymentName
}
